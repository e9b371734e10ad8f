//! A planned meeting or webinar as rows: the meeting row, its registrants, and who attends
//! each session; the session's rows come from [`super::session`].

use serde_json::json;

use super::{
    generator::{dt, AccountGen, Audience, Plan, MEETING_CAP, WEBINAR_CAP},
    names::{COMPANIES, HEARD_FROM},
    session::{Attendee, Kind, Person},
    table::{Meeting, Registrant},
};

/// A meeting row once stored, and what its sessions need.
pub(crate) struct Opened {
    pub(crate) meeting_id: i64,
    pub(crate) number: i64,
    pub(crate) regs: Vec<Reg>,
}

/// A registrant once stored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reg {
    id: i64,
    prospect: usize,
    approved: bool,
    registered_at: i64,
}

impl AccountGen<'_, '_> {
    fn meeting_number(&mut self) -> i64 {
        for _ in 0..100 {
            let digits = self.rng.choose(&[(9u32, 15), (10, 25), (11, 60)]);
            let low = 10i64.pow(digits - 1);
            let n = low + self.rng.below((9 * low) as u64) as i64;
            if self.sh.meeting_numbers.insert(n) {
                return n;
            }
        }
        let numbers = &mut self.sh.meeting_numbers;
        let n = numbers.last().map_or(100_000_000_000, |n| n + 1);
        numbers.insert(n);
        n
    }

    /// The meeting row of `plan`, its registrants and the operation-log entries of its
    /// creation and deletion; its sessions come from [`AccountGen::session`].
    pub(crate) fn meeting(&mut self, plan: &Plan) -> Option<Opened> {
        let host = self.members.get(plan.host).cloned()?;
        let number = self.meeting_number();
        let kind = if plan.webinar { "WEBINAR" } else { "MEETING" };
        self.sh.webinars += u64::from(plan.webinar);
        let mid = self.sh.ds.add(Meeting {
            account_id: self.account_id,
            source_id: number.to_string(),
            host_id: host.id,
            kind,
            meeting_number: number,
            topic: plan.topic.clone(),
            meeting_type: plan.meeting_type,
            scheduled_start: plan.scheduled_start.map(dt),
            planned_duration_minutes: plan.planned_minutes,
            registration_required: plan.registrants > 0,
            created_at: dt(plan.created_at),
            deleted_at: plan.deleted_at.map(dt),
        });
        if plan.webinar {
            let operator = self.member_or_admin(plan.host, 75);
            let detail = format!("Scheduled webinar '{}' ({number})", plan.topic);
            self.op(plan.created_at, Some(operator), ("WEBINAR", "Add"), detail);
        }
        if let Some(at) = plan.deleted_at {
            let operator = self.member_or_admin(plan.host, 60);
            let (what, topic, email) = (kind.to_lowercase(), &plan.topic, &host.email);
            let detail = format!("Deleted {what} '{topic}' ({number}) hosted by {email}");
            self.op(at, Some(operator), (kind, "Delete"), detail);
        }
        let regs = if plan.registrants > 0 {
            self.registrants(plan, mid)
        } else {
            Vec::new()
        };
        if plan.sessions.is_empty() && plan.webinar && plan.poll_pct > 0 {
            // Polls are prepared before the webinar; never launched.
            self.poll(mid, None, 0, 0, &[], plan.webinar);
        }
        Some(Opened {
            meeting_id: mid,
            number,
            regs,
        })
    }

    /// The registrants of meeting `mid`: prospects (of the meeting's company first), each with
    /// a status, a time (most of them close to the meeting) and the form's answers.
    fn registrants(&mut self, plan: &Plan, mid: i64) -> Vec<Reg> {
        let first = plan
            .sessions
            .first()
            .map(|s| s.0)
            .or(plan.scheduled_start)
            .unwrap_or(self.now);
        let last = plan.sessions.last().map(|s| s.0).unwrap_or(first);
        let open = plan.created_at + 600;
        let close = if plan.recurring { last } else { first }.min(self.now) - 600;
        // A meeting still to come has more registrations waiting for approval.
        let statuses = if plan.sessions.is_empty() && plan.scheduled_start > Some(self.now) {
            [("APPROVED", 75), ("PENDING", 18), ("DENIED", 7)]
        } else {
            [("APPROVED", 86), ("PENDING", 7), ("DENIED", 7)]
        };
        let mut pool: Vec<usize> = (0..self.prospects.len()).collect();
        // Guests of a company's meeting come from that company first.
        if let Audience::External {
            company: Some(c), ..
        } = plan.audience
        {
            pool.sort_by_key(|&p| self.prospects.get(p).is_none_or(|x| x.company != Some(c)));
            let head = self.by_company.get(c).map_or(0, Vec::len);
            let (theirs, others) = pool.split_at_mut(head.min(self.prospects.len()));
            self.rng.shuffle(theirs);
            self.rng.shuffle(others);
        } else {
            self.rng.shuffle(&mut pool);
        }
        pool.truncate(plan.registrants as usize);
        let mut out = Vec::with_capacity(pool.len());
        for p in pool {
            let Some(who) = self.prospects.get(p).cloned() else {
                continue;
            };
            let status = self.rng.choose(&statuses);
            let registered_at = if close > open {
                let u = self.rng.unit();
                open + ((close - open) as f64 * (1.0 - u * u)) as i64
            } else {
                open.min(self.now - 60)
            };
            let company = who
                .company
                .and_then(|c| COMPANIES.get(c))
                .map_or("Self-employed", |c| c.name);
            let answers = if plan.webinar {
                let mut a = vec![
                    json!({"question": "Company", "answer": company}),
                    json!({"question": "Job title", "answer": who.title}),
                ];
                if self.rng.pct(50) {
                    a.push(json!({"question": "How did you hear about us?", "answer": self.rng.one_of(&HEARD_FROM)}));
                }
                serde_json::Value::Array(a).to_string()
            } else if self.rng.pct(60) {
                json!([{"question": "Company", "answer": company}]).to_string()
            } else {
                "[]".to_owned()
            };
            let source_id = self.uid::<Registrant>(registered_at);
            let id = self.sh.ds.add(Registrant {
                account_id: self.account_id,
                source_id,
                meeting_id: mid,
                email: who.person.email.unwrap_or_default(),
                first_name: who.first,
                last_name: who.last,
                status,
                registered_at: dt(registered_at),
                custom_answers: answers,
            });
            out.push(Reg {
                id,
                prospect: p,
                approved: status == "APPROVED",
                registered_at,
            });
        }
        out
    }

    fn member_attendee(&mut self, i: usize, role: &'static str, at: i64) -> Option<Attendee> {
        let m = self.members.get(i)?;
        if !m.active_at(at) {
            return None;
        }
        let mut person = m.person.clone();
        if self.rng.pct(30) {
            person.ip = m.home_ip.clone();
        }
        Some(Attendee {
            person,
            role,
            registrant_id: None,
            kind: Kind::Member,
        })
    }

    fn guest(&mut self, prospect: usize, registrant_id: Option<i64>) -> Option<Attendee> {
        let mut person = self.prospects.get(prospect)?.person.clone();
        if registrant_id.is_none() && self.rng.pct(25) {
            // Joined without signing in: no e-mail in the report.
            person.email = None;
        }
        Some(Attendee {
            person,
            role: "ATTENDEE",
            registrant_id,
            kind: Kind::Guest,
        })
    }

    fn room(&mut self) -> Option<Attendee> {
        let name = *self.rng.pick(self.spec.rooms)?;
        Some(Attendee {
            person: Person {
                name: name.to_owned(),
                email: None,
                user_id: None,
                device: "Zoom Rooms",
                ip: format!("{}.2", self.spec.office_net),
                location: self.members.first().map_or("", |m| m.spec.location),
                country: self.members.first().map_or("US", |m| m.spec.country),
                phone: String::new(),
            },
            role: "ATTENDEE",
            registrant_id: None,
            kind: Kind::Room,
        })
    }

    /// The members of `list` but the host, each attending with `pct` percent.
    fn invite(&mut self, list: &[usize], host: usize, pct: u32, s: i64, out: &mut Vec<Attendee>) {
        for &i in list {
            if i != host && self.rng.pct(pct) {
                out.extend(self.member_attendee(i, "ATTENDEE", s));
            }
        }
    }

    /// Between `lo` and `hi` of `pool`, drawn at random, as guests without registration.
    fn guests(&mut self, mut pool: Vec<usize>, (lo, hi): (i64, i64), out: &mut Vec<Attendee>) {
        self.rng.shuffle(&mut pool);
        let n = self.rng.range(lo, hi) as usize;
        for p in pool.into_iter().take(n) {
            out.extend(self.guest(p, None));
        }
    }

    pub(crate) fn attendees(&mut self, plan: &Plan, s: i64, regs: &[Reg]) -> Vec<Attendee> {
        let host = plan.host;
        let mut out = Vec::new();
        match &plan.audience {
            Audience::Dept(_) | Audience::Team(_) => {
                let list = match &plan.audience {
                    Audience::Dept(d) => self.depts.get(*d),
                    Audience::Team(t) => self.teams.get(*t),
                    _ => None,
                };
                let list = list.cloned().unwrap_or_default();
                self.invite(&list, host, 85, s, &mut out);
                if self.rng.pct(10) {
                    out.extend(self.room());
                }
            }
            Audience::AllHands => {
                let everyone: Vec<usize> = (0..self.members.len()).collect();
                self.invite(&everyone, host, 80, s, &mut out);
                out.extend(self.room());
                out.extend(self.room());
            }
            Audience::OneOnOne(o) => {
                if self.rng.pct(95) {
                    out.extend(self.member_attendee(*o, "ATTENDEE", s));
                }
            }
            Audience::Group(list) => self.invite(list, host, 85, s, &mut out),
            Audience::External {
                company,
                colleagues,
            } => {
                self.invite(colleagues, host, 80, s, &mut out);
                if regs.is_empty() {
                    let companies: Vec<usize> = (0..COMPANIES.len())
                        .filter(|&c| self.by_company.get(c).is_some_and(|l| !l.is_empty()))
                        .collect();
                    let c = company.or_else(|| self.rng.pick(&companies).copied());
                    let people = c.and_then(|c| self.by_company.get(c)).cloned();
                    let most = self.spec.rates.guests;
                    self.guests(people.unwrap_or_default(), (1, most), &mut out);
                } else {
                    self.registered_attendees(regs, s, 70, &mut out);
                }
            }
            Audience::Webinar(panelists) => {
                for &i in panelists {
                    out.extend(self.member_attendee(i, "PANELIST", s));
                }
                if regs.is_empty() {
                    let everyone = (0..self.prospects.len()).collect();
                    self.guests(everyone, (80, 140), &mut out);
                } else {
                    let pct = if plan.recurring { 22 } else { 55 };
                    self.registered_attendees(regs, s, pct, &mut out);
                }
            }
        }
        // One row set per person: a room or a namesake drawn twice joins once, and two
        // people never share a (fictional) telephone number in one session.
        let mut names = std::collections::BTreeSet::new();
        let mut phones = std::collections::BTreeSet::new();
        out.retain(|a| {
            let new_phone = a.person.phone.is_empty() || !phones.contains(&a.person.phone);
            let keep = new_phone && names.insert(a.person.name.clone());
            if keep && !a.person.phone.is_empty() {
                phones.insert(a.person.phone.clone());
            }
            keep
        });
        out.truncate(if plan.webinar {
            WEBINAR_CAP
        } else {
            MEETING_CAP
        });
        out
    }

    /// Approved registrants who registered before `s` attend with `pct` percent; most carry
    /// their registrant id, some are matched only by their e-mail.
    fn registered_attendees(&mut self, regs: &[Reg], s: i64, pct: u32, out: &mut Vec<Attendee>) {
        for r in regs {
            if r.approved && r.registered_at < s && self.rng.pct(pct) {
                let id = if self.rng.pct(90) { Some(r.id) } else { None };
                if let Some(mut a) = self.guest(r.prospect, id) {
                    // Registrants join with the address they registered with.
                    a.person.email = self
                        .prospects
                        .get(r.prospect)
                        .and_then(|p| p.person.email.clone());
                    out.push(a);
                }
            }
        }
    }
}
