//! The bench's meetings and webinars: the meeting row, its registrants, and who attends each
//! session; the session's rows come from the shared emitters in `seed::session`.

use sea_orm::DbErr;
use std::collections::HashSet;

use crate::seed::generator::{local_date, DAY, HOUR};
use crate::seed::session::{
    Attendee, Kind as JoinKind, Person, Registering, Registration, Sitting, SourceIds, Tenant,
    Writer,
};

use super::population::{
    sample_distinct, Acct, Aud, Invite, Out, Planned, Reg, Span, Src, Who, BENCH_TUNING,
    MEETING_CAP, WEBINAR_CAP,
};

impl Acct {
    pub(super) fn emit(&mut self, out: &mut Out, planned: Planned) -> Result<(), DbErr> {
        let Planned {
            src,
            host,
            start,
            end,
        } = planned;
        let p = Span { host, start, end };
        let (mid, number, aud, webinar, recurring, pcts, support, registrants) = match src {
            Src::Series(si) => {
                let Some(s) = self.series.get_mut(si) else {
                    return Ok(());
                };
                let open = s.last_start;
                s.last_start = p.start;
                let webinar = matches!(s.aud, Aud::Webinar { .. });
                let registrants = match s.aud {
                    Aud::Webinar { registrants, .. } => Some((registrants, open)),
                    _ => None,
                };
                (
                    s.meeting_id,
                    s.number,
                    s.aud.clone(),
                    webinar,
                    true,
                    (s.record_pct, s.poll_pct, s.qa_pct),
                    s.support,
                    registrants,
                )
            }
            Src::OneOff(one) => {
                let one = *one;
                let webinar = matches!(one.aud, Aud::Webinar { .. });
                let host_created = self.members.get(p.host).map_or(0, |m| m.created_at);
                let created_at = if one.meeting_type == "INSTANT" {
                    p.start - self.rng.range(5, 120)
                } else {
                    (p.start - self.rng.range(1, if webinar { 45 } else { 21 }) * DAY
                        + self.rng.range(0, 8 * HOUR))
                    .max(host_created + HOUR)
                    .min(p.start - 60)
                };
                let roll = self.rng.below(1_000);
                // A few scheduled meetings never start, a few are cancelled, a few are
                // deleted after they were held.
                let scheduled = one.meeting_type == "SCHEDULED";
                let not_held = scheduled && roll < 20;
                let cancelled = scheduled && (20..27).contains(&roll);
                let deleted_at = if cancelled {
                    Some(((created_at + p.start) / 2).min(self.now - 60))
                } else if scheduled && (27..32).contains(&roll) {
                    Some(p.end + self.rng.range(1, 60) * DAY).filter(|t| *t < self.now)
                } else {
                    None
                };
                let registrants = match one.aud {
                    Aud::Webinar { registrants, .. } if registrants > 0 => {
                        Some((registrants, created_at))
                    }
                    _ => None,
                };
                let scheduled_start = if scheduled {
                    p.start - self.rng.range(-120, 240)
                } else {
                    p.start
                };
                let (mid, number) = self.new_meeting(
                    out,
                    p.host,
                    webinar,
                    &one.topic,
                    one.meeting_type,
                    Some(scheduled_start),
                    scheduled.then_some(one.minutes),
                    registrants.is_some(),
                    created_at,
                    deleted_at,
                );
                if not_held || cancelled {
                    if let Some((k, open)) = registrants {
                        self.registrants(out, mid, webinar, k, open, p.start, false);
                    }
                    return Ok(());
                }
                (
                    mid,
                    number,
                    one.aud,
                    webinar,
                    false,
                    (one.record_pct, one.poll_pct, one.qa_pct),
                    one.support,
                    registrants,
                )
            }
        };
        let regs = match registrants {
            Some((k, open)) => self.registrants(out, mid, webinar, k, open, p.start, false),
            None => Vec::new(),
        };
        self.session(
            out, &p, mid, number, &aud, webinar, recurring, pcts, support, &regs,
        );
        out.maybe_flush()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn registrants(
        &mut self,
        out: &mut Out,
        mid: i64,
        webinar: bool,
        k: u32,
        open: i64,
        start: i64,
        upcoming: bool,
    ) -> Vec<Reg> {
        let registration = Registration {
            meeting_id: mid,
            webinar,
            open: open + 600,
            close: start.min(self.now) - 600,
            upcoming,
        };
        let picked = sample_distinct(&mut self.rng, self.guests, k as usize);
        let mut regs = Vec::with_capacity(picked.len());
        for g in picked {
            let guest = self.guest(g);
            let who = Registering {
                first: guest.first,
                last: guest.last,
                email: &guest.email,
                company: guest.company,
                title: guest.title,
            };
            let r = self.writer(out).registrant(&registration, &who);
            regs.push(Reg {
                id: r.id,
                prospect: g,
                approved: r.approved,
                registered_at: r.registered_at,
            });
        }
        regs
    }

    pub(super) fn member_invite(
        &mut self,
        i: usize,
        role: &'static str,
        at: i64,
    ) -> Option<Invite> {
        let m = self.members.get(i)?;
        m.active_at(at).then_some(Invite {
            who: Who::Member(i),
            role,
            registrant_id: None,
        })
    }

    /// `k` of `pool` at random, each attending with `pct` percent.
    pub(super) fn some_members(
        &mut self,
        pool: &[usize],
        k: usize,
        pct: u32,
        host: usize,
        at: i64,
        invites: &mut Vec<Invite>,
    ) {
        for j in sample_distinct(&mut self.rng, pool.len() as u64, k) {
            let Some(&i) = pool.get(j as usize) else {
                continue;
            };
            if i != host && self.rng.pct(pct) {
                invites.extend(self.member_invite(i, "ATTENDEE", at));
            }
        }
    }

    pub(super) fn attendees(
        &mut self,
        host: usize,
        aud: &Aud,
        s: i64,
        regs: &[Reg],
        recurring: bool,
    ) -> Vec<Invite> {
        let mut invites = Vec::new();
        match aud {
            Aud::Team(t) => {
                let team = self.teams.get(*t).cloned().unwrap_or_default();
                for i in team {
                    if i != host && self.rng.pct(85) {
                        invites.extend(self.member_invite(i, "ATTENDEE", s));
                    }
                }
                if self.rng.pct(10) {
                    if let Some(&room) = self.rng.pick(self.spec.rooms) {
                        invites.push(Invite {
                            who: Who::Room(room),
                            role: "ATTENDEE",
                            registrant_id: None,
                        });
                    }
                }
            }
            Aud::Dept(d) => {
                // The monthly all-hands invites the department (up to the plan's limit);
                // a briefing, a few dozen of it.
                let pool = self.depts.get(*d).cloned().unwrap_or_default();
                let k = if recurring {
                    pool.len().min(MEETING_CAP * 4 / 3)
                } else {
                    pool.len().min(self.rng.range(20, 60) as usize)
                };
                self.some_members(&pool, k, 75, host, s, &mut invites);
                invites.truncate(MEETING_CAP);
            }
            Aud::AllHands => {
                let n = self.members.len();
                let pool: Vec<usize> = (0..n).collect();
                let k = n.min(MEETING_CAP * 5 / 3);
                self.some_members(&pool, k, 60, host, s, &mut invites);
                invites.truncate(MEETING_CAP);
                for room in self.spec.rooms.iter().take(2) {
                    invites.push(Invite {
                        who: Who::Room(room),
                        role: "ATTENDEE",
                        registrant_id: None,
                    });
                }
            }
            Aud::OneOnOne(o) => {
                if self.rng.pct(95) {
                    invites.extend(self.member_invite(*o, "ATTENDEE", s));
                }
            }
            Aud::Group(list) => {
                for &i in list {
                    if self.rng.pct(85) {
                        invites.extend(self.member_invite(i, "ATTENDEE", s));
                    }
                }
            }
            Aud::External {
                company,
                colleagues,
                guests,
            } => {
                for &i in colleagues {
                    if self.rng.pct(80) {
                        invites.extend(self.member_invite(i, "ATTENDEE", s));
                    }
                }
                let n = self.rng.range(1, i64::from(*guests).max(1));
                let mut seen = HashSet::new();
                for _ in 0..n {
                    let g = self.guest_of(*company);
                    if seen.insert(g) {
                        let guest = self.guest(g);
                        let mut guest = Box::new(guest);
                        if self.rng.pct(25) {
                            // Joined without signing in: no e-mail in the report.
                            guest.email = String::new();
                        }
                        invites.push(Invite {
                            who: Who::Guest(guest),
                            role: "ATTENDEE",
                            registrant_id: None,
                        });
                    }
                }
            }
            Aud::Webinar { panelists, .. } => {
                for &i in panelists {
                    invites.extend(self.member_invite(i, "PANELIST", s));
                }
                if regs.is_empty() {
                    let n = self.rng.range(60, 250) as usize;
                    for g in sample_distinct(&mut self.rng, self.guests, n) {
                        let guest = Box::new(self.guest(g));
                        invites.push(Invite {
                            who: Who::Guest(guest),
                            role: "ATTENDEE",
                            registrant_id: None,
                        });
                    }
                } else {
                    let pct = if recurring { 45 } else { 55 };
                    for r in regs {
                        if invites.len() >= WEBINAR_CAP {
                            break;
                        }
                        if r.approved && r.registered_at < s && self.rng.pct(pct) {
                            // Most carry their registrant id; some are matched by e-mail only.
                            let id = self.rng.pct(90).then_some(r.id);
                            invites.push(Invite {
                                who: Who::Guest(Box::new(self.guest(r.prospect))),
                                role: "ATTENDEE",
                                registrant_id: id,
                            });
                        }
                    }
                }
            }
        }
        invites
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn session(
        &mut self,
        out: &mut Out,
        p: &Span,
        mid: i64,
        number: i64,
        aud: &Aud,
        webinar: bool,
        recurring: bool,
        (record_pct, poll_pct, qa_pct): (u32, u32, u32),
        support: bool,
        regs: &[Reg],
    ) {
        let sitting = Sitting {
            meeting_id: mid,
            number,
            webinar,
            big: webinar,
            host: p.host,
            host_id: self.members.get(p.host).map_or(0, |m| m.id),
            record_pct,
            poll_pct,
            qa_pct,
            support,
            start: p.start,
            end: p.end,
        };
        let host = Invite {
            who: Who::Member(p.host),
            role: "HOST",
            registrant_id: None,
        };
        let host = self.attendee(&host);
        let mut session = self.writer(out).open(&sitting, &host);
        let invites = self.attendees(p.host, aud, p.start, regs, recurring);
        let attendees: Vec<Attendee> = invites.iter().map(|a| self.attendee(a)).collect();
        self.writer(out).join(&mut session, &sitting, &attendees);
        // Crowded meetings are recorded with a second video file, as webinars are.
        let sitting = Sitting {
            big: webinar || session.rows() > 50,
            ..sitting
        };
        let Some(recorded) = self.writer(out).close(session, &sitting) else {
            return;
        };
        self.storage += recorded.total;
        if let Some((at, operator)) = recorded.trashed {
            let day = local_date(self.tz, recorded.start);
            self.op(
                out,
                at,
                Some(operator),
                "RECORDING",
                "Delete",
                format!("Moved a cloud recording of {day} to trash"),
            );
        }
    }

    /// An invitee as they appear in join rows: members join from home now and then.
    pub(super) fn attendee(&mut self, a: &Invite) -> Attendee {
        let (person, kind) = match &a.who {
            Who::Member(i) => {
                let m = self.members.get(*i);
                let home = self.rng.pct(30);
                let person = Person {
                    name: m.map(|m| m.name.clone()).unwrap_or_default(),
                    email: m.map(|m| m.email.clone()),
                    user_id: m.map(|m| m.id),
                    device: m.map_or("Web", |m| m.device),
                    ip: m
                        .map(|m| if home { &m.home_ip } else { &m.ip })
                        .cloned()
                        .unwrap_or_default(),
                    location: m.map_or(self.spec.home.0, |m| m.location),
                    country: m.map_or(self.spec.home.1, |m| m.country),
                    phone: m.map(|m| m.phone.clone()).unwrap_or_default(),
                };
                (person, JoinKind::Member)
            }
            Who::Guest(g) => {
                let person = Person {
                    name: format!("{} {}", g.first, g.last),
                    email: (!g.email.is_empty()).then(|| g.email.clone()),
                    user_id: None,
                    device: g.device,
                    ip: g.ip.clone(),
                    location: g.location,
                    country: g.country,
                    phone: g.phone.clone(),
                };
                (person, JoinKind::Guest)
            }
            Who::Room(room) => {
                let person = Person {
                    name: (*room).to_owned(),
                    email: None,
                    user_id: None,
                    device: "Zoom Rooms",
                    ip: format!("{}.2", self.spec.office_net),
                    location: self.spec.home.0,
                    country: self.spec.home.1,
                    phone: String::new(),
                };
                (person, JoinKind::Room)
            }
        };
        Attendee {
            person,
            role: a.role,
            registrant_id: a.registrant_id,
            kind,
        }
    }

    pub(super) fn tenant(&self, seed: u64) -> Tenant {
        Tenant {
            account_id: self.id,
            domain: self.spec.domain,
            tz: self.tz,
            now: self.now,
            dial_in: self.spec.plan != "BASIC",
            ids: SourceIds::TimeOrdered(seed),
            tuning: BENCH_TUNING,
        }
    }

    pub(super) fn writer<'a>(&'a mut self, out: &'a mut Out) -> Writer<'a> {
        let tenant = self.tenant(out.seed);
        Writer {
            rows: &mut out.ds,
            rng: &mut self.rng,
            tenant,
            conference_costs: &mut self.conference_costs,
            admins: &self.admins,
            owner: 0,
        }
    }
}
