//! A meeting's rows below the meeting, for every account: for each session the session, its
//! join rows (with rejoins), telephone legs, polls and their answers, Q&A, the cloud recording
//! and remote-support sessions. `meetings.rs` chooses who attends.

use chrono::Datelike;

use super::{
    generator::{dt, local_date, AccountGen, Audience, Plan, DAY},
    meetings::Opened,
    names::{self, POLL_QUESTIONS, POLL_TITLES, QA_ANSWERS, QA_QUESTIONS},
    rng::{uuid_like, uuid_v7_like, Rng},
    table::{
        MeetingSession, Participant, Poll, PollQuestion, PollResponse, QaAnswer, QaQuestion,
        Recording, RecordingFile, RemoteSupportSession, Row, TelephoneCall,
    },
};

/// Someone as they appear in a join row.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) user_id: Option<i64>,
    pub(crate) device: &'static str,
    pub(crate) ip: String,
    pub(crate) location: &'static str,
    pub(crate) country: &'static str,
    pub(crate) phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Member,
    Guest,
    Room,
}

/// Someone invited to a session.
#[derive(Debug, Clone)]
pub(crate) struct Attendee {
    pub(crate) person: Person,
    pub(crate) role: &'static str,
    pub(crate) registrant_id: Option<i64>,
    pub(crate) kind: Kind,
}

/// A join row once stored.
#[derive(Debug, Clone)]
pub(crate) struct Joined {
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

/// A session of a planned meeting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sitting<'p> {
    pub(crate) plan: &'p Plan,
    pub(crate) meeting_id: i64,
    pub(crate) session_id: i64,
    pub(crate) number: i64,
    pub(crate) host_id: i64,
    pub(crate) start: i64,
    pub(crate) end: i64,
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

impl AccountGen<'_, '_> {
    /// The source id of the next row of `R`'s table, for an event at `ts`: random-looking, or sorting
    /// by the event's time as the platform's do (which keeps a bulk load's index appends cheap).
    pub(crate) fn uid<R: Row>(&self, ts: i64) -> String {
        let (seed, id) = (self.sh.seed, R::next_id(&self.sh.ds));
        if self.spec.rates.time_ordered_ids {
            uuid_v7_like(seed, R::TABLE, id, ts * 1000 + (id % 1000))
        } else {
            uuid_like(seed, R::TABLE, id)
        }
    }

    pub(crate) fn month_key(&self, ts: i64) -> (i32, u32) {
        let d = local_date(self.tz, ts);
        (d.year(), d.month())
    }

    /// A session `(s, e)` of `plan`, whose meeting is `m`: the session row, the host's join
    /// row, the attendees' (a way in each, one or more intervals), and what follows from who was
    /// there: telephone legs, polls, Q&A, the recording and remote support.
    pub(crate) fn session(&mut self, plan: &Plan, m: &Opened, (s, e): (i64, i64)) {
        let Some(host) = self.members.get(plan.host) else {
            return;
        };
        let host_id = host.id;
        let host = Attendee {
            person: host.person.clone(),
            role: "HOST",
            registrant_id: None,
            kind: Kind::Member,
        };
        let source_id = self.uid::<MeetingSession>(s);
        let sitting = Sitting {
            plan,
            meeting_id: m.meeting_id,
            session_id: self.sh.ds.add(MeetingSession {
                account_id: self.account_id,
                source_id,
                meeting_id: m.meeting_id,
                start_time: dt(s),
                end_time: Some(dt(e)),
            }),
            number: m.number,
            host_id,
            start: s,
            end: e,
        };
        let mut rows = vec![self.participant(&sitting, &host, "COMPUTER", s, e)];
        let rates = self.spec.rates;
        let rejoin_pct = if plan.webinar {
            12
        } else {
            rates.meeting_rejoin_pct
        };
        for a in self.attendees(plan, s, &m.regs) {
            let phone_pct = match a.kind {
                _ if self.spec.plan == "BASIC" => 0,
                Kind::Room => 0,
                Kind::Member => 6,
                Kind::Guest if plan.webinar => rates.webinar_phone_pct,
                Kind::Guest => 12,
            };
            let method = match a.kind {
                Kind::Room => "ROOM",
                _ if self.rng.pct(phone_pct) => "PHONE",
                _ => "COMPUTER",
            };
            for (join, leave) in join_intervals(&mut self.rng, s, e, rejoin_pct) {
                rows.push(self.participant(&sitting, &a, method, join, leave));
            }
        }
        for r in rows.iter().filter(|r| r.method == "PHONE") {
            self.telephone_leg(&sitting, r);
        }
        if self.rng.pct(plan.poll_pct) {
            for k in 0..1 + i64::from(plan.webinar && self.rng.pct(30)) {
                self.poll(m.meeting_id, Some(k), s, e, &rows, plan.webinar);
            }
        }
        if self.rng.pct(plan.qa_pct) {
            self.questions(&sitting, &rows);
        }
        if self.rng.pct(plan.record_pct) {
            self.recording(&sitting);
        }
        if plan.support && self.rng.pct(rates.support_pct) {
            self.remote_support(&sitting, &rows);
        }
    }

    fn participant(
        &mut self,
        sitting: &Sitting,
        a: &Attendee,
        method: &'static str,
        join: i64,
        leave: i64,
    ) -> Joined {
        let p = &a.person;
        let (name, email, device, ip) = match method {
            "PHONE" => {
                let name = if a.kind == Kind::Member || a.registrant_id.is_some() {
                    p.name.clone()
                } else {
                    p.phone.clone()
                };
                let email = p.email.clone().filter(|_| a.kind == Kind::Member);
                (name, email, None, None)
            }
            "ROOM" => (p.name.clone(), None, Some("Zoom Rooms"), Some(p.ip.clone())),
            _ => {
                let device = if self.rng.pct(10) {
                    self.rng.one_of(&["iOS", "Android", "Web"])
                } else {
                    p.device
                };
                let ip = Some(p.ip.clone());
                (p.name.clone(), p.email.clone(), Some(device), ip)
            }
        };
        let source_id = self.uid::<Participant>(join);
        let pid = self.sh.ds.add(Participant {
            account_id: self.account_id,
            source_id,
            session_id: sitting.session_id,
            meeting_id: sitting.meeting_id,
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
        Joined {
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

    fn telephone_leg(&mut self, sitting: &Sitting, r: &Joined) {
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
                format!("sip:{}@conference.example", sitting.number),
            ),
            _ => (r.phone.clone(), toll.to_owned()),
        };
        let duration = r.leave - r.join;
        let rate = names::conference_rate(call_type, r.country);
        let cost = call_cost(rate, duration);
        let source_id = self.uid::<TelephoneCall>(r.join);
        self.sh.ds.add(TelephoneCall {
            account_id: self.account_id,
            source_id,
            session_id: sitting.session_id,
            meeting_id: sitting.meeting_id,
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
    pub(crate) fn poll(
        &mut self,
        mid: i64,
        launch: Option<i64>,
        s: i64,
        e: i64,
        rows: &[Joined],
        webinar: bool,
    ) {
        let launched =
            launch.map(|k| (s + (e - s) * self.rng.range(25, 65) / 100 + k * 420).min(e - 120));
        let anonymous = self.rng.pct(25);
        let title = if webinar {
            self.rng.one_of(&POLL_TITLES)
        } else {
            "Quick feedback"
        };
        let source_id = self.uid::<Poll>(launched.unwrap_or(s));
        let poll_id = self.sh.ds.add(Poll {
            account_id: self.account_id,
            source_id,
            meeting_id: mid,
            title,
            anonymous,
            launched_at: launched.map(dt),
        });
        let mut templates: Vec<usize> = (0..POLL_QUESTIONS.len()).collect();
        self.rng.shuffle(&mut templates);
        templates.truncate(self.rng.range(2, 3) as usize);
        let respondent_pct = self.spec.rates.poll_respondent_pct;
        let respondents: Vec<&Joined> = match launched {
            Some(t) => rows
                .iter()
                .filter(|r| r.role != "HOST" && r.join <= t && r.leave > t + 30)
                .filter(|_| self.rng.pct(respondent_pct))
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
        let picked: Vec<&str> = match question_type {
            "MULTIPLE_CHOICE" => choices
                .iter()
                .copied()
                .filter(|_| self.rng.pct(40))
                .collect(),
            // Earlier choices ("Excellent", "Yes") are the more frequent ones.
            "SINGLE_CHOICE" => {
                let weights: Vec<u32> = (0..choices.len() as u32)
                    .map(|i| 8u32.saturating_sub(i * 2).max(1))
                    .collect();
                let choice = choices.get(self.rng.weighted(&weights));
                return choice.copied().unwrap_or_default().to_owned();
            }
            _ => Vec::new(),
        };
        if picked.is_empty() {
            let any = self.rng.pick(choices).copied();
            return any.unwrap_or_default().to_owned();
        }
        picked.join(";")
    }

    fn questions(&mut self, sitting: &Sitting, rows: &[Joined]) {
        let (s, e) = (sitting.start, sitting.end);
        if e - s < 900 {
            return;
        }
        let n = if sitting.plan.webinar {
            self.rng.range(3, 12)
        } else {
            self.rng.range(2, 5)
        };
        let mut answerers: Vec<&str> = rows
            .iter()
            .filter(|r| r.role == "HOST" || r.role == "PANELIST")
            .map(|r| r.name.as_str())
            .collect();
        answerers.dedup();
        for _ in 0..n {
            let asked = self.rng.range(s + 300, e - 180);
            let present: Vec<&Joined> = rows
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
            let source_id = self.uid::<QaQuestion>(asked);
            let qid = self.sh.ds.add(QaQuestion {
                account_id: self.account_id,
                source_id,
                meeting_id: sitting.meeting_id,
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
                let who = self.rng.pick(&answerers).copied().unwrap_or("Host");
                let (kind, content) = if self.rng.pct(30) {
                    ("LIVE", "Answered live")
                } else {
                    ("TEXT", self.rng.one_of(&QA_ANSWERS))
                };
                self.sh.ds.add(QaAnswer {
                    account_id: self.account_id,
                    question_id: qid,
                    answerer_name: who.to_owned(),
                    content,
                    answered_at: dt(at),
                    kind,
                });
            }
        }
    }

    /// A cloud recording, which adds to the account's storage, and is moved to the trash now
    /// and then.
    fn recording(&mut self, sitting: &Sitting) {
        const MB: i64 = 1_000_000;
        let start = sitting.start + self.rng.range(0, 90);
        let end = sitting.end - self.rng.range(0, 60);
        if end - start < 300 {
            return;
        }
        let minutes = (end - start) / 60;
        // Webinars and all-hands are recorded with a second video file (shared screen with
        // speaker).
        let big = sitting.plan.webinar || matches!(sitting.plan.audience, Audience::AllHands);
        let (lo, hi) = if big { (24, 40) } else { (6, 18) };
        let video = minutes * self.rng.range(lo, hi) * MB + self.rng.range(0, MB);
        let mut files = vec![("MP4", video)];
        if big {
            let video = minutes * self.rng.range(10, 20) * MB + self.rng.range(0, MB);
            files.push(("MP4", video));
        }
        files.push(("M4A", minutes * self.rng.range(480_000, 960_000)));
        // The optional files: (percent, type, bytes drawn from lo..=hi, times this).
        for (pct, file_type, lo, hi, times) in [
            (60, "TRANSCRIPT", 900, 1_600, minutes),
            (45, "CHAT", 500, 15_000, 1),
            (20, "TIMELINE", 2_000, 40_000, 1),
            (10, "CC", 800, 1_200, minutes),
        ] {
            if self.rng.pct(pct) {
                files.push((file_type, times * self.rng.range(lo, hi)));
            }
        }
        let total: i64 = files.iter().map(|(_, b)| b).sum();
        let source_id = self.uid::<Recording>(start);
        let recording_id = self.sh.ds.add(Recording {
            account_id: self.account_id,
            source_id,
            meeting_id: sitting.meeting_id,
            session_id: sitting.session_id,
            start_time: dt(start),
            end_time: dt(end),
            total_size_bytes: total,
        });
        for (file_type, size_bytes) in files {
            self.sh.ds.add(RecordingFile {
                account_id: self.account_id,
                recording_id,
                file_type,
                size_bytes,
                recording_start: dt(start),
                recording_end: dt(end),
            });
        }
        self.recordings.push((local_date(self.tz, end), total));
        if self.rng.pct(10) {
            let at = end + self.rng.range(20, 90) * DAY;
            if at < self.now {
                let operator = self.member_or_admin(sitting.plan.host, 50);
                let day = local_date(self.tz, start);
                let topic = &sitting.plan.topic;
                let detail = format!("Moved cloud recording '{topic}' of {day} to trash");
                self.op(at, Some(operator), ("RECORDING", "Delete"), detail);
            }
        }
    }

    fn remote_support(&mut self, sitting: &Sitting, rows: &[Joined]) {
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
            .min(sitting.end);
        if ended - started < 120 {
            return;
        }
        let source_id = self.uid::<RemoteSupportSession>(requested);
        self.sh.ds.add(RemoteSupportSession {
            account_id: self.account_id,
            source_id,
            meeting_id: sitting.meeting_id,
            supporter_id: Some(sitting.host_id),
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
