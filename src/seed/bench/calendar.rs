//! The bench's calendar: recurring series planned up front, one-off meetings and webinars
//! drawn day by day and calibrated to the sessions per user the data set aims at, and the
//! meetings scheduled for the weeks after `now`.

use chrono::{Datelike, NaiveDate, Weekday};
use sea_orm::DbErr;
use std::collections::HashMap;

use crate::seed::generator::{add_days, dt, is_weekend, local_date, local_ts, DAY, HOUR};
use crate::seed::names::{self, COMPANIES};
use crate::seed::operations::operation;
use crate::seed::table::Meeting;

use crate::seed::spec::Cadence;

use super::population::{
    meeting_number, sample_distinct, Acct, Aud, Kind, OneOff, Out, Planned, PlannedSeries, Series,
    Src, DEPARTMENTS,
};

impl Acct {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new_meeting(
        &mut self,
        out: &mut Out,
        host: usize,
        webinar: bool,
        topic: &str,
        meeting_type: &'static str,
        scheduled_start: Option<i64>,
        minutes: Option<i64>,
        registration: bool,
        created_at: i64,
        deleted_at: Option<i64>,
    ) -> (i64, i64) {
        let id = out.ds.meeting.next_id();
        let number = meeting_number(out.seed, id);
        let host_id = self.members.get(host).map_or(0, |m| m.id);
        out.ds.add(Meeting {
            account_id: self.id,
            source_id: number.to_string(),
            host_id,
            kind: if webinar { "WEBINAR" } else { "MEETING" },
            meeting_number: number,
            topic: topic.to_owned(),
            meeting_type,
            scheduled_start: scheduled_start.map(dt),
            planned_duration_minutes: minutes.map(|m| m as i32),
            registration_required: registration,
            created_at: dt(created_at),
            deleted_at: deleted_at.map(dt),
        });
        if webinar {
            out.stats.webinars += 1;
            let operator = if self.rng.pct(75) {
                host
            } else {
                self.admin_or_owner()
            };
            if created_at < self.now {
                self.op(
                    out,
                    created_at,
                    Some(operator),
                    "WEBINAR",
                    "Add",
                    format!("Scheduled webinar '{topic}' ({number})"),
                );
            }
        }
        if let Some(at) = deleted_at {
            let operator = if self.rng.pct(60) {
                host
            } else {
                self.admin_or_owner()
            };
            let what = if webinar { "webinar" } else { "meeting" };
            let email = self
                .members
                .get(host)
                .map(|m| m.email.clone())
                .unwrap_or_default();
            self.op(
                out,
                at,
                Some(operator),
                if webinar { "WEBINAR" } else { "MEETING" },
                "Delete",
                format!("Deleted {what} '{topic}' ({number}) hosted by {email}"),
            );
        }
        (id, number)
    }

    pub(super) fn op(
        &self,
        out: &mut Out,
        at: i64,
        operator: Option<usize>,
        category: &'static str,
        action: &'static str,
        detail: String,
    ) {
        if at >= self.now {
            return;
        }
        let operator = operator
            .and_then(|i| self.members.get(i))
            .map(|m| (m.id, m.email.as_str()));
        let tenant = self.tenant(out.seed);
        operation(
            &mut out.ds,
            &tenant,
            at,
            operator,
            (category, action),
            detail,
        );
    }

    pub(super) fn hosts_of(&self, members: &[usize]) -> Vec<usize> {
        members
            .iter()
            .copied()
            .filter(|&i| {
                self.members
                    .get(i)
                    .is_some_and(|m| matches!(m.kind, Kind::Heavy | Kind::Regular))
            })
            .collect()
    }

    pub(super) fn plan_series(&mut self, out: &mut Out) {
        let mut planned: Vec<PlannedSeries> = Vec::new();
        let weekdays = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        // The company all-hands.
        planned.push((
            self.owner(),
            format!("{} all-hands", self.spec.name),
            Cadence::Monthly(Weekday::Thu, 1),
            (16, 0),
            60,
            Aud::AllHands,
            (100, 60, 100),
        ));
        // Department all-hands, by the department's first regular host.
        for d in 0..self.depts.len() {
            let members = self.depts.get(d).cloned().unwrap_or_default();
            if members.len() < 6 {
                continue;
            }
            let Some(&lead) = self.hosts_of(&members).first() else {
                continue;
            };
            let name = DEPARTMENTS.get(d).copied().unwrap_or("Team");
            planned.push((
                lead,
                format!("{name} monthly all-hands"),
                Cadence::Monthly(self.rng.one_of(&weekdays), 2),
                (11, 0),
                45,
                Aud::Dept(d),
                (40, 20, 40),
            ));
        }
        for t in 0..self.teams.len() {
            let members = self.teams.get(t).cloned().unwrap_or_default();
            let Some(&lead) = self.hosts_of(&members).first() else {
                continue;
            };
            let dept = self.dept_name(lead);
            planned.push((
                lead,
                format!("{dept} team {} weekly", t + 1),
                Cadence::Weekly(self.rng.one_of(&weekdays)),
                (self.rng.range(9, 16) as u32, self.rng.one_of(&[0, 30])),
                self.rng.one_of(&[30, 45, 60]),
                Aud::Team(t),
                (10, 5, 0),
            ));
            if self.rng.pct(55) {
                planned.push((
                    lead,
                    format!("{dept} team {} stand-up", t + 1),
                    Cadence::Weekdays,
                    (9, self.rng.one_of(&[15, 30, 45])),
                    15,
                    Aud::Team(t),
                    (0, 0, 0),
                ));
            }
        }
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let (kind, team, first) = (
                m.kind,
                m.team,
                m.name.split(' ').next().unwrap_or_default().to_owned(),
            );
            let dept = self.dept_name(i);
            let mates: Vec<usize> = self
                .teams
                .get(team)
                .map(|t| t.iter().copied().filter(|&j| j != i).collect())
                .unwrap_or_default();
            if matches!(kind, Kind::Regular | Kind::Heavy) {
                if self.rng.pct(40) {
                    if let Some(&o) = self.rng.pick(&mates) {
                        let other = self
                            .members
                            .get(o)
                            .and_then(|m| m.name.split(' ').next())
                            .unwrap_or_default()
                            .to_owned();
                        planned.push((
                            i,
                            format!("1:1 {first} / {other}"),
                            Cadence::Biweekly(self.rng.one_of(&weekdays)),
                            (self.rng.range(10, 17) as u32, 0),
                            30,
                            Aud::OneOnOne(o),
                            (0, 0, 0),
                        ));
                    }
                }
                if self.rng.pct(20) && mates.len() >= 3 {
                    let mut group = mates.clone();
                    self.rng.shuffle(&mut group);
                    group.truncate(self.rng.range(3, 5) as usize);
                    let topic = self
                        .rng
                        .pick(names::internal_topics(dept))
                        .copied()
                        .unwrap_or("Sync")
                        .replace("{n}", &self.rng.range(100, 999).to_string());
                    planned.push((
                        i,
                        format!("{topic} (weekly)"),
                        Cadence::Weekly(self.rng.one_of(&weekdays)),
                        (self.rng.range(9, 17) as u32, 30),
                        45,
                        Aud::Group(group),
                        (5, 0, 0),
                    ));
                }
            }
            if kind == Kind::Heavy {
                let company = self.rng.below(COMPANIES.len() as u64) as usize;
                let name = COMPANIES.get(company).map_or("", |c| c.name);
                planned.push((
                    i,
                    format!("Customer sync — {name}"),
                    Cadence::Weekly(self.rng.one_of(&weekdays)),
                    (self.rng.range(10, 17) as u32, 0),
                    45,
                    Aud::External {
                        company,
                        colleagues: mates.iter().copied().take(1).collect(),
                        guests: 3,
                    },
                    (10, 0, 0),
                ));
                planned.push((
                    i,
                    "Escalation bridge".to_owned(),
                    Cadence::NoFixedTime {
                        per_week: 1.5,
                        night_pct: 0,
                    },
                    (0, 0),
                    40,
                    Aud::External {
                        company: (company + 1) % COMPANIES.len(),
                        colleagues: mates.iter().copied().skip(1).take(2).collect(),
                        guests: 2,
                    },
                    (0, 0, 0),
                ));
            }
            let webinar_host = self.members.get(i).is_some_and(|m| m.webinar_host);
            if webinar_host && self.rng.pct(30) {
                let panelists: Vec<usize> = mates.iter().copied().take(2).collect();
                let title = self.rng.one_of(&[
                    "product tour",
                    "customer onboarding webinar",
                    "monthly release walkthrough",
                    "office hours (live)",
                ]);
                let registrants = self.rng.range(80, 300) as u32;
                planned.push((
                    i,
                    format!("{} {title}", self.spec.name),
                    Cadence::Monthly(
                        self.rng.one_of(&[Weekday::Tue, Weekday::Wed, Weekday::Thu]),
                        2,
                    ),
                    (16, 0),
                    60,
                    Aud::Webinar {
                        panelists,
                        registrants,
                    },
                    (100, 60, 80),
                ));
            }
        }

        let window_start = self.window_start;
        for (host, topic, cadence, (hour, minute), minutes, aud, (rec, poll, qa)) in planned {
            let host_created = self
                .members
                .get(host)
                .map_or(window_start, |m| m.created_at);
            let created_at = if self.rng.pct(60) {
                window_start - self.rng.range(30, 300) * DAY
            } else {
                window_start + self.rng.range(0, (self.now - window_start) * 3 / 4)
            }
            .max(host_created + DAY);
            let ended = self.rng.pct(12) && created_at + 30 * DAY < self.now;
            let until = if ended {
                self.rng.range(created_at + 30 * DAY, self.now - DAY)
            } else {
                i64::MAX
            };
            let deleted_at = (ended && self.rng.pct(30)).then(|| until + 2 * HOUR);
            let no_fixed_time = matches!(cadence, Cadence::NoFixedTime { .. });
            let webinar = matches!(aud, Aud::Webinar { .. });
            // The next occurrence after now for a running series, the first one otherwise.
            let scheduled_start = if no_fixed_time {
                None
            } else {
                let from = if ended {
                    local_date(self.tz, created_at)
                } else {
                    self.today()
                };
                (0..70)
                    .map(|k| add_days(from, k))
                    .find(|&d| occurs(cadence, d))
                    .map(|d| local_ts(self.tz, d, hour, minute))
            };
            let (meeting_id, number) = self.new_meeting(
                out,
                host,
                webinar,
                &topic,
                if no_fixed_time {
                    "RECURRING_NO_FIXED_TIME"
                } else {
                    "RECURRING_FIXED"
                },
                scheduled_start,
                (!no_fixed_time).then_some(minutes),
                webinar,
                created_at,
                deleted_at.filter(|t| *t < self.now),
            );
            self.series.push(Series {
                meeting_id,
                number,
                host,
                support: self.dept_name(host) == "Support" && matches!(aud, Aud::External { .. }),
                cadence,
                hour,
                minute,
                minutes,
                aud,
                created_at,
                until,
                record_pct: rec,
                poll_pct: poll,
                qa_pct: qa,
                last_start: created_at,
            });
        }
    }

    /// Expected sessions of the series over the window, for the calibration.
    pub(super) fn expected_series_sessions(&self) -> f64 {
        let first = local_date(self.tz, self.window_start);
        let today = self.today();
        let mut total = 0.0;
        let mut date = first;
        while date <= today {
            let holiday = self.is_holiday(date);
            let ts = local_ts(self.tz, date, 12, 0);
            for s in &self.series {
                if ts < s.created_at || ts >= s.until {
                    continue;
                }
                total += match s.cadence {
                    Cadence::NoFixedTime { per_week, .. } => per_week / 7.0,
                    c if !holiday && occurs(c, date) => match c {
                        Cadence::Monthly(..) => 1.0,
                        _ => 0.9,
                    },
                    _ => 0.0,
                };
            }
            date = add_days(date, 1);
        }
        total
    }

    /// Sets each host's one-off rate so that the account holds about `target` sessions.
    pub(super) fn calibrate(&mut self, target: f64) {
        let series = self.expected_series_sessions();
        let oneoff = (target - series).max(target * 0.2);
        let days = ((self.now - self.window_start) / DAY) as f64;
        let workdays_per_day = 5.0 / 7.0 * 0.93 * (50.0 / 52.0);
        let mut weighted = 0.0;
        for m in &self.members {
            let active = ((self.now - m.created_at.max(self.window_start)) / DAY) as f64;
            weighted += m.kind.weight() * active.clamp(0.0, days) * workdays_per_day;
        }
        let scale = if weighted > 0.0 {
            oneoff / weighted
        } else {
            0.0
        };
        self.hosts.clear();
        for (i, m) in self.members.iter_mut().enumerate() {
            m.rate = m.kind.weight() * scale;
            if m.rate > 0.0 {
                self.hosts.push(i);
            }
        }
    }

    pub(super) fn day(&mut self, out: &mut Out, date: NaiveDate) -> Result<(), DbErr> {
        let workday = !is_weekend(date) && !self.is_holiday(date);
        let mut plans: Vec<Planned> = Vec::new();
        let mut busy: HashMap<usize, Vec<(i64, i64)>> = HashMap::new();
        for si in 0..self.series.len() {
            let Some(s) = self.series.get(si) else {
                continue;
            };
            let (cadence, host, hour, minute, minutes, created_at, until) = (
                s.cadence,
                s.host,
                s.hour,
                s.minute,
                s.minutes,
                s.created_at,
                s.until,
            );
            let Some(m) = self.members.get(host) else {
                continue;
            };
            let host_away = m.on_vacation(date);
            let starts: Vec<i64> = match cadence {
                Cadence::NoFixedTime { per_week, .. } => {
                    let n = self.rng.poisson(per_week / 7.0);
                    (0..n).map(|_| self.time_on(date, 7, 21)).collect()
                }
                c if workday && occurs(c, date) => {
                    let monthly = matches!(c, Cadence::Monthly(..));
                    if !monthly && (host_away || self.rng.pct(6)) {
                        continue;
                    }
                    vec![local_ts(self.tz, date, hour, minute) + self.rng.range(-90, 240)]
                }
                _ => continue,
            };
            for start in starts {
                if start < created_at.max(self.window_start) || start >= until {
                    continue;
                }
                let end = start + self.actual_length(minutes);
                if end >= self.now {
                    continue;
                }
                let b = busy.entry(host).or_default();
                if b.iter().any(|&(s, e)| start < e && s < end) {
                    continue;
                }
                b.push((start, end));
                plans.push(Planned {
                    src: Src::Series(si),
                    host,
                    start,
                    end,
                });
            }
        }
        for k in 0..self.hosts.len() {
            let Some(&host) = self.hosts.get(k) else {
                continue;
            };
            let Some(m) = self.members.get(host) else {
                continue;
            };
            let day_start = local_ts(self.tz, date, 0, 0);
            if m.created_at >= day_start || m.on_vacation(date) {
                continue;
            }
            let mean = if workday {
                m.rate
            } else if is_weekend(date) {
                m.rate * 0.02
            } else {
                m.rate * 0.1
            };
            for _ in 0..self.rng.poisson(mean) {
                let (one, minutes) = self.one_off(host);
                let mut start = self.time_on(date, 8, 19);
                let mut len = self.actual_length(minutes);
                if one.meeting_type == "INSTANT" {
                    len = self.rng.range(8, 55) * 60;
                }
                let latest = local_ts(self.tz, date, 22, 0);
                let b = busy.entry(host).or_default();
                let mut placed = false;
                for _ in 0..8 {
                    match b.iter().find(|&&(s, e)| start < e && s < start + len) {
                        Some(&(_, e)) => start = e + self.rng.range(2, 10) * 60,
                        None => {
                            placed = true;
                            break;
                        }
                    }
                }
                if !placed || start + len > latest || start + len >= self.now {
                    continue;
                }
                b.push((start, start + len));
                plans.push(Planned {
                    src: Src::OneOff(Box::new(one)),
                    host,
                    start,
                    end: start + len,
                });
            }
        }
        plans.sort_by_key(|p| (p.start, p.host));
        for p in plans {
            self.emit(out, p)?;
        }
        self.sign_ins(out, date);
        if workday {
            self.phone_system(out, date);
            self.admin_ops(out, date);
        }
        self.joiner_ops(out, date);
        self.storage_day(out, date);
        if add_days(date, 1).day() == 1 {
            self.invoice(out, date);
        }
        out.maybe_flush()
    }

    /// How long a session planned for `minutes` really lasts, in seconds.
    pub(super) fn actual_length(&mut self, minutes: i64) -> i64 {
        let planned = minutes * 60;
        let len = if minutes <= 15 {
            self.rng.range(planned * 8 / 10, planned * 16 / 10)
        } else {
            self.rng.range(planned * 7 / 10, planned * 115 / 100)
        };
        len.max(300)
    }

    /// A one-off meeting of `host`, and its planned minutes.
    pub(super) fn one_off(&mut self, host: usize) -> (OneOff, i64) {
        let dept = self.dept_name(host);
        let (kind, webinar_host, team) = self
            .members
            .get(host)
            .map_or((Kind::Light, false, usize::MAX), |m| {
                (m.kind, m.webinar_host, m.team)
            });
        let mates: Vec<usize> = self
            .teams
            .get(team)
            .map(|t| t.iter().copied().filter(|&j| j != host).collect())
            .unwrap_or_default();
        let n = self.rng.range(1_000, 99_999);
        let webinar_pct = match (webinar_host, kind) {
            (false, _) => 0,
            (true, Kind::Heavy) => 1,
            (true, _) => 8,
        };
        if self.rng.pct(webinar_pct) {
            let registration = self.rng.pct(85);
            let registrants = if registration {
                match self.rng.below(10) {
                    0..6 => self.rng.range(80, 200),
                    6..9 => self.rng.range(200, 400),
                    _ => self.rng.range(400, 800),
                }
            } else {
                0
            } as u32;
            let topic = self.rng.one_of(&[
                "Customer success stories",
                "Security & compliance deep dive",
                "What shipped this quarter",
                "Reporting best practices",
                "Live Q&A with the product team",
                "Partner enablement",
                "Getting started",
                "Industry trends",
            ]);
            let minutes = self.rng.one_of(&[45, 60, 60, 90]);
            let panelists: Vec<usize> = {
                let mut p = mates.clone();
                self.rng.shuffle(&mut p);
                p.truncate(self.rng.range(0, 3) as usize);
                p
            };
            return (
                OneOff {
                    topic: format!("{topic} #{n}"),
                    meeting_type: "SCHEDULED",
                    minutes,
                    aud: Aud::Webinar {
                        panelists,
                        registrants,
                    },
                    record_pct: 70,
                    poll_pct: 40,
                    qa_pct: 50,
                    support: false,
                },
                minutes,
            );
        }
        let instant = self.rng.pct(if kind == Kind::Heavy { 8 } else { 12 });
        let external_pct = match (kind, dept) {
            (Kind::Heavy, _) => 60,
            (_, "Sales" | "Support" | "Customer Success") => 45,
            (_, "Marketing") => 20,
            _ => 10,
        };
        let minutes = if kind == Kind::Heavy {
            self.rng.one_of(&[15, 20, 30, 30, 45])
        } else {
            self.rng.one_of(&[30, 30, 30, 45, 60, 60, 90])
        };
        let (aud, topic, support) = if !instant && self.rng.pct(external_pct) {
            let company = self.rng.below(COMPANIES.len() as u64) as usize;
            let name = COMPANIES.get(company).map_or("", |c| c.name);
            let template = self
                .rng
                .pick(names::external_topics(dept))
                .copied()
                .unwrap_or("Call — {c}");
            let colleagues = {
                let mut c = mates.clone();
                self.rng.shuffle(&mut c);
                c.truncate(self.rng.range(0, 2) as usize);
                c
            };
            (
                Aud::External {
                    company,
                    colleagues,
                    guests: self.rng.range(3, 10) as u32,
                },
                template.replace("{c}", name).replace("{n}", &n.to_string()),
                dept == "Support",
            )
        } else {
            let template = self
                .rng
                .pick(names::internal_topics(dept))
                .copied()
                .unwrap_or("Sync")
                .replace("{n}", &n.to_string());
            let roll = self.rng.below(100);
            let first = self
                .members
                .get(host)
                .and_then(|m| m.name.split(' ').next())
                .unwrap_or_default()
                .to_owned();
            if roll < 8 || instant {
                let mut c = mates.clone();
                self.rng.shuffle(&mut c);
                if instant {
                    c.truncate(self.rng.range(1, 4) as usize);
                    (Aud::Group(c), format!("{first}'s Zoom meeting"), false)
                } else {
                    match c.first() {
                        Some(&o) => (Aud::OneOnOne(o), format!("1:1 {first} / {o}"), false),
                        None => (Aud::Group(Vec::new()), template, false),
                    }
                }
            } else if roll < 40 {
                // Mostly the team, a few from the department.
                let dept_index = self.members.get(host).map_or(0, |m| m.dept);
                let mut c = mates.clone();
                self.rng.shuffle(&mut c);
                c.truncate(self.rng.range(4, 9) as usize);
                let pool = self.depts.get(dept_index).cloned().unwrap_or_default();
                let extra = self.rng.range(0, 5) as usize;
                for j in sample_distinct(&mut self.rng, pool.len() as u64, extra) {
                    if let Some(&o) = pool.get(j as usize) {
                        if o != host && !c.contains(&o) {
                            c.push(o);
                        }
                    }
                }
                (Aud::Group(c), template, false)
            } else if roll < 86 || kind == Kind::Light {
                (Aud::Team(team), template, false)
            } else {
                let dept_index = self.members.get(host).map_or(0, |m| m.dept);
                (Aud::Dept(dept_index), format!("{dept} briefing"), false)
            }
        };
        (
            OneOff {
                topic,
                meeting_type: if instant { "INSTANT" } else { "SCHEDULED" },
                minutes,
                aud,
                record_pct: if minutes >= 45 && !instant { 20 } else { 0 },
                poll_pct: if instant { 0 } else { 3 },
                qa_pct: 0,
                support,
            },
            minutes,
        )
    }
}

impl Acct {
    /// Meetings and webinars scheduled in the next four weeks (no session yet).
    pub(super) fn upcoming(&mut self, out: &mut Out) -> Result<(), DbErr> {
        let today = self.today();
        for k in 0..self.hosts.len() {
            let Some(&host) = self.hosts.get(k) else {
                continue;
            };
            let rate = self.members.get(host).map_or(0.0, |m| m.rate);
            for _ in 0..self.rng.poisson((rate * 1.5).min(6.0)) {
                let (one, minutes) = self.one_off(host);
                if one.meeting_type == "INSTANT" {
                    continue;
                }
                let mut date = add_days(today, self.rng.range(1, 28));
                while is_weekend(date) {
                    date = add_days(date, 1);
                }
                let at = local_ts(self.tz, date, self.rng.range(9, 17) as u32, 0);
                let created_at = self.now - self.rng.range(HOUR, 14 * DAY);
                let webinar = matches!(one.aud, Aud::Webinar { .. });
                let registrants = match one.aud {
                    Aud::Webinar { registrants, .. } => registrants / 3,
                    _ => 0,
                };
                let (mid, _) = self.new_meeting(
                    out,
                    host,
                    webinar,
                    &one.topic,
                    "SCHEDULED",
                    Some(at),
                    Some(minutes),
                    registrants > 0,
                    created_at,
                    None,
                );
                if registrants > 0 {
                    self.registrants(out, mid, webinar, registrants, created_at, self.now, true);
                }
                out.maybe_flush()?;
            }
        }
        Ok(())
    }
}

/// Whether a fixed cadence has an occurrence on `date`.
pub(super) fn occurs(cadence: Cadence, date: NaiveDate) -> bool {
    match cadence {
        Cadence::Weekdays => !is_weekend(date),
        Cadence::Weekly(w) => date.weekday() == w,
        Cadence::Biweekly(w) => {
            date.weekday() == w && (i64::from(date.num_days_from_ce()) / 7) % 2 == 0
        }
        Cadence::Monthly(w, nth) => {
            NaiveDate::from_weekday_of_month_opt(date.year(), date.month(), w, nth) == Some(date)
        }
        Cadence::NoFixedTime { .. } => false,
    }
}
