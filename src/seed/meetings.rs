//! Meetings and webinars as rows: the meeting, its registrants, sessions, join rows (with
//! rejoins), telephone legs, polls, Q&A, recordings and remote-support sessions.

use chrono::Datelike;
use serde_json::json;

use super::{
    generator::{dt, local_date, AccountGen, Audience, Member, OpEntry, Person, Plan, DAY},
    names::{self, COMPANIES, HEARD_FROM, POLL_QUESTIONS, POLL_TITLES, QA_ANSWERS, QA_QUESTIONS},
    rng::Rng,
    table::{
        Meeting, MeetingSession, Participant, Poll, PollQuestion, PollResponse, QaAnswer,
        QaQuestion, Recording, RecordingFile, Registrant, RemoteSupportSession, TelephoneCall,
    },
};

/// A registrant once stored.
#[derive(Debug, Clone)]
pub(crate) struct Reg {
    id: i64,
    prospect: usize,
    approved: bool,
    registered_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Member,
    Guest,
    Room,
}

/// Someone invited to a session.
#[derive(Debug, Clone)]
struct Attendee {
    person: Person,
    role: &'static str,
    registrant_id: Option<i64>,
    kind: Kind,
}

/// A join row once stored.
#[derive(Debug, Clone)]
struct Row {
    pid: i64,
    name: String,
    email: Option<String>,
    join: i64,
    leave: i64,
    role: &'static str,
    method: &'static str,
    kind: Kind,
    country: &'static str,
    phone: String,
}

/// The intervals one person spends in a session `[start, end)`: usually one, sometimes two or
/// three with gaps between them (a rejoin). Every interval lies within the session, lasts at
/// least a minute, and they never overlap.
pub(crate) fn join_intervals(
    rng: &mut Rng,
    start: i64,
    end: i64,
    rejoin_pct: u32,
) -> Vec<(i64, i64)> {
    let len = end - start;
    if len < 120 {
        return vec![(start, end)];
    }
    let mut join = if rng.pct(80) {
        start + rng.range(0, (len / 4).min(240))
    } else {
        start + rng.range(240.min(len / 4), (len / 3).max(240.min(len / 4)))
    };
    let mut leave = if rng.pct(82) {
        end - rng.range(0, (len / 10).min(120))
    } else {
        join + (end - join) * rng.range(35, 90) / 100
    };
    join = join.min(end - 60);
    leave = leave.max(join + 60).min(end);
    if leave - join >= 900 && rng.pct(rejoin_pct) {
        let pieces = if rng.pct(80) { 2 } else { 3 };
        let mut cuts: Vec<i64> = (1..pieces)
            .map(|_| rng.range(join + 120, leave - 120))
            .collect();
        cuts.sort_unstable();
        let mut out = Vec::new();
        let mut from = join;
        for cut in cuts {
            let gap = rng.range(20, 240);
            if cut - from < 60 || cut + gap + 60 > leave {
                return vec![(join, leave)];
            }
            out.push((from, cut));
            from = cut + gap;
        }
        if leave - from < 60 {
            return vec![(join, leave)];
        }
        out.push((from, leave));
        return out;
    }
    vec![(join, leave)]
}

/// A telephone call's cost: the rate per started minute.
pub(crate) fn call_cost(rate_per_minute_micros: i64, duration_seconds: i64) -> i64 {
    rate_per_minute_micros * ((duration_seconds + 59) / 60)
}

impl AccountGen<'_> {
    fn meeting_number(&mut self) -> i64 {
        for _ in 0..100 {
            let digits = self.rng.choose(&[(9u32, 15), (10, 25), (11, 60)]);
            let low = 10i64.pow(digits - 1);
            let n = low + self.rng.below((9 * low) as u64) as i64;
            if self.sh.meeting_numbers.insert(n) {
                return n;
            }
        }
        let n = self
            .sh
            .meeting_numbers
            .last()
            .copied()
            .unwrap_or(99_999_999_999)
            + 1;
        self.sh.meeting_numbers.insert(n);
        n
    }

    fn month_key(&self, ts: i64) -> (i32, u32) {
        let d = local_date(self.tz, ts);
        (d.year(), d.month())
    }

    pub(crate) fn emit(&mut self, plan: &Plan) {
        let Some(host) = self.members.get(plan.host).cloned() else {
            return;
        };
        let number = self.meeting_number();
        let kind = if plan.webinar { "WEBINAR" } else { "MEETING" };
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
            let operator = if self.rng.pct(75) {
                plan.host
            } else {
                self.admin_or_owner()
            };
            self.ops.push(OpEntry {
                at: plan.created_at,
                operator: Some(operator),
                category: "WEBINAR",
                action: "Add",
                detail: format!("Scheduled webinar '{}' ({number})", plan.topic),
            });
        }
        if let Some(at) = plan.deleted_at {
            let operator = if self.rng.pct(60) {
                plan.host
            } else {
                self.admin_or_owner()
            };
            let what = if plan.webinar { "webinar" } else { "meeting" };
            self.ops.push(OpEntry {
                at,
                operator: Some(operator),
                category: if plan.webinar { "WEBINAR" } else { "MEETING" },
                action: "Delete",
                detail: format!(
                    "Deleted {what} '{}' ({number}) hosted by {}",
                    plan.topic, host.email
                ),
            });
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
        for &(s, e) in &plan.sessions {
            self.session(plan, &host, mid, number, s, e, &regs);
        }
    }

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
        let upcoming =
            plan.sessions.is_empty() && plan.scheduled_start.is_some_and(|t| t > self.now);
        let statuses = if upcoming {
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
            if let Some(part) = pool.get_mut(..head) {
                self.rng.shuffle(part);
            }
            if let Some(part) = pool.get_mut(head..) {
                self.rng.shuffle(part);
            }
        } else {
            self.rng.shuffle(&mut pool);
        }
        pool.truncate(plan.registrants as usize);
        let mut out = Vec::with_capacity(pool.len());
        for p in pool {
            let Some(prospect) = self.prospects.get(p).cloned() else {
                continue;
            };
            let status = self.rng.choose(&statuses);
            let registered_at = if close > open {
                let u = self.rng.unit();
                open + ((close - open) as f64 * (1.0 - u * u)) as i64
            } else {
                open.min(self.now - 60)
            };
            let company = prospect
                .company
                .and_then(|c| COMPANIES.get(c))
                .map_or("Self-employed", |c| c.name);
            let answers = if plan.webinar {
                let mut a = vec![
                    json!({"question": "Company", "answer": company}),
                    json!({"question": "Job title", "answer": prospect.title}),
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
            let id = self.sh.ds.registrant.next_id();
            let source = self.sh.uid("registrant", id);
            let id = self.sh.ds.add(Registrant {
                account_id: self.account_id,
                source_id: source,
                meeting_id: mid,
                email: prospect.person.email.clone().unwrap_or_default(),
                first_name: prospect.first.clone(),
                last_name: prospect.last.clone(),
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

    fn attendees(&mut self, plan: &Plan, s: i64, regs: &[Reg]) -> Vec<Attendee> {
        let host = plan.host;
        let mut out = Vec::new();
        let everyone: Vec<usize> = (0..self.members.len()).filter(|&i| i != host).collect();
        match &plan.audience {
            Audience::Team(d) => {
                for i in everyone {
                    if self.members.get(i).is_some_and(|m| m.dept == Some(*d)) && self.rng.pct(85) {
                        out.extend(self.member_attendee(i, "ATTENDEE", s));
                    }
                }
                if self.rng.pct(10) {
                    out.extend(self.room());
                }
            }
            Audience::AllHands => {
                for i in everyone {
                    if self.rng.pct(80) {
                        out.extend(self.member_attendee(i, "ATTENDEE", s));
                    }
                }
                out.extend(self.room());
                out.extend(self.room());
            }
            Audience::OneOnOne(o) => {
                if self.rng.pct(95) {
                    out.extend(self.member_attendee(*o, "ATTENDEE", s));
                }
            }
            Audience::Group(list) => {
                for &i in list {
                    if self.rng.pct(85) {
                        out.extend(self.member_attendee(i, "ATTENDEE", s));
                    }
                }
            }
            Audience::External {
                company,
                colleagues,
            } => {
                for &i in colleagues {
                    if self.rng.pct(80) {
                        out.extend(self.member_attendee(i, "ATTENDEE", s));
                    }
                }
                if regs.is_empty() {
                    let companies: Vec<usize> = (0..COMPANIES.len())
                        .filter(|&c| self.by_company.get(c).is_some_and(|l| !l.is_empty()))
                        .collect();
                    let c = match company {
                        Some(c) => Some(*c),
                        None => self.rng.pick(&companies).copied(),
                    };
                    let mut people = c
                        .and_then(|c| self.by_company.get(c))
                        .cloned()
                        .unwrap_or_default();
                    self.rng.shuffle(&mut people);
                    let n = self.rng.range(1, 4) as usize;
                    for p in people.into_iter().take(n) {
                        out.extend(self.guest(p, None));
                    }
                } else {
                    self.registered_attendees(regs, s, 70, &mut out);
                }
            }
            Audience::Webinar { panelists } => {
                for &i in panelists {
                    out.extend(self.member_attendee(i, "PANELIST", s));
                }
                if regs.is_empty() {
                    let mut pool: Vec<usize> = (0..self.prospects.len()).collect();
                    self.rng.shuffle(&mut pool);
                    let n = self.rng.range(80, 140) as usize;
                    for p in pool.into_iter().take(n) {
                        out.extend(self.guest(p, None));
                    }
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

    #[allow(clippy::too_many_arguments)]
    fn session(
        &mut self,
        plan: &Plan,
        host: &Member,
        mid: i64,
        number: i64,
        s: i64,
        e: i64,
        regs: &[Reg],
    ) {
        let id = self.sh.ds.meeting_session.next_id();
        let source = self.sh.uid("meeting_session", id);
        let sid = self.sh.ds.add(MeetingSession {
            account_id: self.account_id,
            source_id: source,
            meeting_id: mid,
            start_time: dt(s),
            end_time: Some(dt(e)),
        });

        let mut rows = Vec::new();
        let host_attendee = Attendee {
            person: host.person.clone(),
            role: "HOST",
            registrant_id: None,
            kind: Kind::Member,
        };
        rows.push(self.participant(sid, mid, &host_attendee, "COMPUTER", s, e));
        let rejoin_pct = if plan.webinar { 12 } else { 8 };
        for a in self.attendees(plan, s, regs) {
            let phone_pct = match (self.spec.plan, a.kind) {
                ("BASIC", _) | (_, Kind::Room) => 0,
                (_, Kind::Member) => 6,
                (_, Kind::Guest) if plan.webinar => 5,
                (_, Kind::Guest) => 12,
            };
            let method = match a.kind {
                Kind::Room => "ROOM",
                _ if self.rng.pct(phone_pct) => "PHONE",
                _ => "COMPUTER",
            };
            for (join, leave) in join_intervals(&mut self.rng, s, e, rejoin_pct) {
                rows.push(self.participant(sid, mid, &a, method, join, leave));
            }
        }
        for r in rows.iter().filter(|r| r.method == "PHONE") {
            self.telephone_leg(sid, mid, number, r);
        }
        if self.rng.pct(plan.poll_pct) {
            let polls = if plan.webinar && self.rng.pct(30) {
                2
            } else {
                1
            };
            for k in 0..polls {
                self.poll(mid, Some(k), s, e, &rows, plan.webinar);
            }
        }
        if self.rng.pct(plan.qa_pct) {
            self.questions(plan, mid, s, e, &rows);
        }
        if self.rng.pct(plan.record_pct) {
            self.recording(plan, mid, sid, s, e);
        }
        if plan.support && self.rng.pct(60) {
            self.remote_support(host.id, mid, e, &rows);
        }
    }

    fn participant(
        &mut self,
        sid: i64,
        mid: i64,
        a: &Attendee,
        method: &'static str,
        join: i64,
        leave: i64,
    ) -> Row {
        let p = &a.person;
        let (name, email, device, ip) = match method {
            "PHONE" => {
                let name = if a.kind == Kind::Member || a.registrant_id.is_some() {
                    p.name.clone()
                } else {
                    p.phone.clone()
                };
                let email = if a.kind == Kind::Member {
                    p.email.clone()
                } else {
                    None
                };
                (name, email, None, None)
            }
            "ROOM" => (p.name.clone(), None, Some("Zoom Rooms"), Some(p.ip.clone())),
            _ => {
                let device = if self.rng.pct(10) {
                    self.rng.one_of(&["iOS", "Android", "Web"])
                } else {
                    p.device
                };
                (
                    p.name.clone(),
                    p.email.clone(),
                    Some(device),
                    Some(p.ip.clone()),
                )
            }
        };
        let id = self.sh.ds.participant.next_id();
        let source = self.sh.uid("participant", id);
        let pid = self.sh.ds.add(Participant {
            account_id: self.account_id,
            source_id: source,
            session_id: sid,
            meeting_id: mid,
            user_id: p.user_id,
            registrant_id: a.registrant_id,
            name: name.clone(),
            email: email.clone(),
            join_time: dt(join),
            leave_time: dt(leave),
            duration_seconds: leave - join,
            join_method: method,
            role: a.role,
            device,
            ip_address: ip,
            location: Some(p.location),
        });
        Row {
            pid,
            name,
            email,
            join,
            leave,
            role: a.role,
            method,
            kind: a.kind,
            country: p.country,
            phone: p.phone.clone(),
        }
    }

    fn telephone_leg(&mut self, sid: i64, mid: i64, number: i64, r: &Row) {
        let call_type = self.rng.choose(&[
            ("TOLL", 45),
            ("TOLL_FREE", 30),
            ("CALL_OUT", 20),
            ("SIP", 5),
        ]);
        let (toll, toll_free) = names::dial_in(r.country);
        let (caller, called) = match call_type {
            "CALL_OUT" => (toll.to_owned(), r.phone.clone()),
            "TOLL_FREE" => (r.phone.clone(), toll_free.to_owned()),
            "SIP" => (
                format!("sip:{}@sip.{}", r.pid, self.spec.domain),
                format!("sip:{number}@conference.example"),
            ),
            _ => (r.phone.clone(), toll.to_owned()),
        };
        let duration = r.leave - r.join;
        let rate = names::conference_rate(call_type, r.country);
        let cost = call_cost(rate, duration);
        let id = self.sh.ds.telephone_call.next_id();
        let source = self.sh.uid("telephone_call", id);
        self.sh.ds.add(TelephoneCall {
            account_id: self.account_id,
            source_id: source,
            session_id: sid,
            meeting_id: mid,
            participant_id: Some(r.pid),
            call_type,
            caller_number: caller,
            called_number: called,
            country: r.country,
            start_time: dt(r.join),
            end_time: dt(r.leave),
            duration_seconds: duration,
            rate_per_minute_micros: rate,
            total_cost_micros: cost,
            currency: "USD",
        });
        *self
            .conference_costs
            .entry(self.month_key(r.join))
            .or_insert(0) += cost;
    }

    /// A poll of meeting `mid`. `launch`: the poll's index in a session `[s, e)`, whose join
    /// rows answer it; `None`: prepared but never launched.
    fn poll(&mut self, mid: i64, launch: Option<i64>, s: i64, e: i64, rows: &[Row], webinar: bool) {
        let launched =
            launch.map(|k| (s + (e - s) * self.rng.range(25, 65) / 100 + k * 420).min(e - 120));
        let anonymous = self.rng.pct(25);
        let title = if webinar {
            self.rng.one_of(&POLL_TITLES)
        } else {
            "Quick feedback"
        };
        let id = self.sh.ds.poll.next_id();
        let source = self.sh.uid("poll", id);
        let poll_id = self.sh.ds.add(Poll {
            account_id: self.account_id,
            source_id: source,
            meeting_id: mid,
            title,
            anonymous,
            launched_at: launched.map(dt),
        });
        let mut templates: Vec<usize> = (0..POLL_QUESTIONS.len()).collect();
        self.rng.shuffle(&mut templates);
        templates.truncate(self.rng.range(2, 3) as usize);
        let respondents: Vec<&Row> = match launched {
            Some(t) => rows
                .iter()
                .filter(|r| r.role != "HOST" && r.join <= t && r.leave > t + 30)
                .filter(|_| self.rng.pct(75))
                .collect(),
            None => Vec::new(),
        };
        for (pos, &t) in templates.iter().enumerate() {
            let Some(q) = POLL_QUESTIONS.get(t) else {
                continue;
            };
            let qid = self.sh.ds.add(PollQuestion {
                account_id: self.account_id,
                poll_id,
                position: pos as i32 + 1,
                text: q.text,
                question_type: q.question_type,
            });
            let Some(launched) = launched else { continue };
            for r in &respondents {
                if !self.rng.pct(92) {
                    continue;
                }
                let at = launched + self.rng.range(10, 150) + pos as i64 * 5;
                if at >= r.leave {
                    continue;
                }
                let answer = self.answer(q.question_type, q.choices);
                let (name, email) = if anonymous {
                    ("Anonymous".to_owned(), None)
                } else {
                    (r.name.clone(), r.email.clone())
                };
                self.sh.ds.add(PollResponse {
                    account_id: self.account_id,
                    question_id: qid,
                    participant_id: Some(r.pid),
                    respondent_name: name,
                    respondent_email: email,
                    answer,
                    answered_at: dt(at),
                });
            }
        }
    }

    fn answer(&mut self, question_type: &str, choices: &[&str]) -> String {
        match question_type {
            "MULTIPLE_CHOICE" => {
                let picked: Vec<&str> = choices
                    .iter()
                    .copied()
                    .filter(|_| self.rng.pct(40))
                    .collect();
                if picked.is_empty() {
                    self.rng
                        .pick(choices)
                        .copied()
                        .unwrap_or_default()
                        .to_owned()
                } else {
                    picked.join(";")
                }
            }
            "SINGLE_CHOICE" => {
                // Earlier choices ("Excellent", "Yes") are the more frequent ones.
                let weights: Vec<u32> = (0..choices.len() as u32)
                    .map(|i| 8u32.saturating_sub(i * 2).max(1))
                    .collect();
                choices
                    .get(self.rng.weighted(&weights))
                    .copied()
                    .unwrap_or_default()
                    .to_owned()
            }
            _ => self
                .rng
                .pick(choices)
                .copied()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn questions(&mut self, plan: &Plan, mid: i64, s: i64, e: i64, rows: &[Row]) {
        if e - s < 900 {
            return;
        }
        let n = if plan.webinar {
            self.rng.range(3, 12)
        } else {
            self.rng.range(2, 5)
        };
        let mut answerers: Vec<String> = rows
            .iter()
            .filter(|r| r.role == "HOST" || r.role == "PANELIST")
            .map(|r| r.name.clone())
            .collect();
        answerers.dedup();
        for _ in 0..n {
            let asked = self.rng.range(s + 300, e - 180);
            let present: Vec<&Row> = rows
                .iter()
                .filter(|r| {
                    r.role == "ATTENDEE"
                        && r.kind != Kind::Room
                        && r.join <= asked
                        && asked < r.leave
                })
                .collect();
            let Some(asker) = self.rng.pick(&present).copied() else {
                continue;
            };
            let anonymous = self.rng.pct(20);
            let (name, email) = if anonymous {
                ("Anonymous Attendee".to_owned(), None)
            } else {
                (asker.name.clone(), asker.email.clone())
            };
            let status = self
                .rng
                .choose(&[("OPEN", 25), ("ANSWERED", 65), ("DISMISSED", 10)]);
            let text = self.rng.one_of(&QA_QUESTIONS);
            let id = self.sh.ds.qa_question.next_id();
            let source = self.sh.uid("qa_question", id);
            let qid = self.sh.ds.add(QaQuestion {
                account_id: self.account_id,
                source_id: source,
                meeting_id: mid,
                asker_name: name,
                asker_email: email,
                anonymous,
                question: text,
                asked_at: dt(asked),
                status,
            });
            if status != "ANSWERED" {
                continue;
            }
            let mut at = asked;
            for _ in 0..(if self.rng.pct(20) { 2 } else { 1 }) {
                at = (at + self.rng.range(30, 600)).min(e);
                let who = self
                    .rng
                    .pick(&answerers)
                    .cloned()
                    .unwrap_or_else(|| "Host".to_owned());
                let (kind, content) = if self.rng.pct(30) {
                    ("LIVE", "Answered live")
                } else {
                    ("TEXT", self.rng.one_of(&QA_ANSWERS))
                };
                self.sh.ds.add(QaAnswer {
                    account_id: self.account_id,
                    question_id: qid,
                    answerer_name: who,
                    content,
                    answered_at: dt(at),
                    kind,
                });
            }
        }
    }

    fn recording(&mut self, plan: &Plan, mid: i64, sid: i64, s: i64, e: i64) {
        let start = s + self.rng.range(0, 90);
        let end = e - self.rng.range(0, 60);
        if end - start < 300 {
            return;
        }
        let minutes = (end - start) / 60;
        let big = plan.webinar || matches!(plan.audience, Audience::AllHands);
        const MB: i64 = 1_000_000;
        let mut files: Vec<(&str, i64)> = Vec::new();
        let per_minute = if big {
            self.rng.range(24, 40)
        } else {
            self.rng.range(6, 18)
        };
        files.push(("MP4", minutes * per_minute * MB + self.rng.range(0, MB)));
        if big {
            // Shared screen with speaker: a second video file.
            files.push((
                "MP4",
                minutes * self.rng.range(10, 20) * MB + self.rng.range(0, MB),
            ));
        }
        files.push(("M4A", minutes * self.rng.range(480_000, 960_000)));
        if self.rng.pct(60) {
            files.push(("TRANSCRIPT", minutes * self.rng.range(900, 1600)));
        }
        if self.rng.pct(45) {
            files.push(("CHAT", self.rng.range(500, 15_000)));
        }
        if self.rng.pct(20) {
            files.push(("TIMELINE", self.rng.range(2_000, 40_000)));
        }
        if self.rng.pct(10) {
            files.push(("CC", minutes * self.rng.range(800, 1_200)));
        }
        let total: i64 = files.iter().map(|(_, b)| b).sum();
        let id = self.sh.ds.recording.next_id();
        let source = self.sh.uid("recording", id);
        let rid = self.sh.ds.add(Recording {
            account_id: self.account_id,
            source_id: source,
            meeting_id: mid,
            session_id: sid,
            start_time: dt(start),
            end_time: dt(end),
            total_size_bytes: total,
        });
        for (file_type, bytes) in files {
            self.sh.ds.add(RecordingFile {
                account_id: self.account_id,
                recording_id: rid,
                file_type,
                size_bytes: bytes,
                recording_start: dt(start),
                recording_end: dt(end),
            });
        }
        self.recordings.push((local_date(self.tz, end), total));
        if self.rng.pct(10) {
            let at = end + self.rng.range(20, 90) * DAY;
            if at < self.now {
                let operator = if self.rng.pct(50) {
                    plan.host
                } else {
                    self.admin_or_owner()
                };
                self.ops.push(OpEntry {
                    at,
                    operator: Some(operator),
                    category: "RECORDING",
                    action: "Delete",
                    detail: format!(
                        "Moved cloud recording '{}' of {} to trash",
                        plan.topic,
                        local_date(self.tz, start)
                    ),
                });
            }
        }
    }

    fn remote_support(&mut self, supporter: i64, mid: i64, e: i64, rows: &[Row]) {
        let Some(guest) = rows
            .iter()
            .find(|r| r.kind == Kind::Guest && r.method == "COMPUTER" && r.leave - r.join > 900)
        else {
            return;
        };
        let requested = guest.join + self.rng.range(60, 600);
        let started = requested + self.rng.range(15, 120);
        let ended = (started + self.rng.range(300, 1_800))
            .min(guest.leave)
            .min(e);
        if ended - started < 120 {
            return;
        }
        let id = self.sh.ds.remote_support_session.next_id();
        let source = self.sh.uid("remote_support_session", id);
        self.sh.ds.add(RemoteSupportSession {
            account_id: self.account_id,
            source_id: source,
            meeting_id: mid,
            supporter_id: Some(supporter),
            supportee_name: guest.name.clone(),
            supportee_email: guest.email.clone(),
            requested_at: dt(requested),
            started_at: dt(started),
            ended_at: dt(ended),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_stay_inside_and_never_overlap() {
        let mut rng = Rng::new(5);
        let mut rejoins = 0;
        for i in 0..20_000 {
            let start = 1_000_000 + i;
            let end = start + 300 + (i * 37) % 7_000;
            let iv = join_intervals(&mut rng, start, end, 30);
            assert!(!iv.is_empty());
            if iv.len() > 1 {
                rejoins += 1;
            }
            let mut prev_leave = start;
            for &(j, l) in &iv {
                assert!(j >= prev_leave, "overlap or out of order: {iv:?}");
                assert!(l - j >= 60, "too short: {iv:?}");
                assert!(l <= end, "past the end: {iv:?}");
                prev_leave = l;
            }
        }
        assert!(rejoins > 100);
    }

    #[test]
    fn cost_counts_started_minutes() {
        assert_eq!(call_cost(50_000, 0), 0);
        assert_eq!(call_cost(50_000, 1), 50_000);
        assert_eq!(call_cost(50_000, 60), 50_000);
        assert_eq!(call_cost(50_000, 61), 100_000);
    }
}
