//! The plan of one account's meetings: its recurring series and hand-placed meetings as the
//! spec gives them, and the bulk of one-off scheduled and instant meetings drawn from each
//! host's profile (calibrated to a number of sessions for a generated population).

use chrono::{Datelike, NaiveDate, Weekday};
use sea_orm::DbErr;

use super::{
    generator::{
        add_days, is_weekend, local_date, local_ts, monday_of, AccountGen, Audience, Plan, DAY,
        HOUR,
    },
    names::{self, COMPANIES},
    spec::{Aud, Cadence, MeetingSpec, Profile, When},
};

/// The share of drawn one-off meetings that take place (not on a holiday, in the host's
/// holidays, past the end of the window or clashing with another meeting of the host).
const HELD: f64 = 0.8;

impl AccountGen<'_, '_> {
    fn profile(&self, member: usize) -> Option<Profile> {
        self.members.get(member).map(|m| m.spec.profile)
    }

    /// Sets the activity factor so that the account holds about `per_user_year` sessions per
    /// user and year: what the series and hand-placed meetings leave to the random ones, spread
    /// over the hosts' weekly rates and the weeks they are there.
    pub(crate) fn calibrate(&mut self, per_user_year: f64, plans: &[Plan]) {
        let years = self.window_days as f64 / 365.0;
        let target = per_user_year * self.members.len() as f64 * years;
        let planned: usize = plans.iter().map(|p| p.sessions.len()).sum();
        let left = (target - planned as f64).max(target * 0.2);
        let weekly: f64 = self
            .members
            .iter()
            .map(|m| {
                let (scheduled, instant) = m.spec.profile.weekly_rates();
                let from = m.created_at.max(self.window_start);
                let weekly = scheduled + instant * self.spec.rates.instants;
                weekly * (self.now - from).max(0) as f64 / (7 * DAY) as f64
            })
            .sum();
        self.activity = if weekly > 0.0 {
            left / (weekly * HELD)
        } else {
            0.0
        };
    }

    /// When `member` joined the account (the window's start if unknown).
    fn created_at(&self, member: usize) -> i64 {
        self.members
            .get(member)
            .map_or(self.window_start, |m| m.created_at)
    }

    fn on_vacation(&self, member: usize, date: NaiveDate) -> bool {
        let monday = monday_of(date);
        self.vacations
            .get(member)
            .is_some_and(|w| w.contains(&monday))
    }

    fn is_free(&self, member: usize, start: i64, end: i64) -> bool {
        self.busy
            .get(member)
            .is_none_or(|b| b.iter().all(|&(s, e)| end <= s || start >= e))
    }

    fn book(&mut self, member: usize, start: i64, end: i64) {
        if let Some(b) = self.busy.get_mut(member) {
            b.push((start, end));
        }
    }

    /// How long a session planned for `minutes` really lasts, in seconds.
    fn actual_length(&mut self, minutes: i64) -> i64 {
        let planned = minutes * 60;
        let len = if minutes <= 15 {
            self.rng.range(planned * 8 / 10, planned * 16 / 10)
        } else {
            self.rng.range(planned * 7 / 10, planned * 115 / 100)
        };
        let len = len.max(300);
        match self.spec.max_minutes {
            Some(max) => len.min(max * 60 - self.rng.range(0, 90)),
            None => len,
        }
    }

    /// The plan of meeting spec `s`, planned for `s.minutes` unless it has no fixed time.
    fn spec_plan(
        &self,
        s: &MeetingSpec,
        host: usize,
        meeting_type: &'static str,
        created_at: i64,
        audience: Audience,
        sessions: Vec<(i64, i64)>,
    ) -> Plan {
        let topic = s.topic.to_string();
        Plan {
            webinar: s.webinar,
            planned_minutes: (meeting_type != "RECURRING_NO_FIXED_TIME")
                .then_some(s.minutes as i32),
            registrants: s.registrants,
            support: self.dept_name(host) == "Support"
                && matches!(audience, Audience::External { .. }),
            record_pct: if self.spec.cloud { s.record_pct } else { 0 },
            poll_pct: s.poll_pct,
            qa_pct: s.qa_pct,
            host,
            meeting_type,
            topic,
            created_at,
            audience,
            sessions,
            ..Plan::default()
        }
    }

    /// `aud` resolved to indexes; the colleague of an external meeting drawn now.
    fn resolve(&mut self, aud: &Aud, host: usize) -> Result<Audience, DbErr> {
        Ok(match aud {
            Aud::Dept(d) => Audience::Dept(self.dept_index(d)?),
            Aud::Team(t) => Audience::Team(*t),
            Aud::AllHands => Audience::AllHands,
            Aud::OneOnOne(m) => Audience::OneOnOne(self.member_index(m)?),
            Aud::Group(list) => Audience::Group(self.member_indexes(list)?),
            Aud::External(company) => Audience::External {
                company: *company,
                colleagues: self.colleagues(host, 1),
            },
            Aud::Webinar(list) => Audience::Webinar(self.member_indexes(list)?),
        })
    }

    /// Up to `max` of the people `host` meets most, at random.
    fn colleagues(&mut self, host: usize, max: usize) -> Vec<usize> {
        let mut same: Vec<usize> = (self.mates(host).iter().copied())
            .filter(|&i| i != host && self.profile(i).is_some_and(|p| p != Profile::Dormant))
            .collect();
        self.rng.shuffle(&mut same);
        same.truncate(max);
        same
    }

    pub(crate) fn plan_series(&mut self, plans: &mut Vec<Plan>) -> Result<(), DbErr> {
        let spec = self.spec;
        for s in &spec.meetings {
            let When::Series {
                cadence,
                since_days,
                until_days,
                deleted,
            } = s.when
            else {
                continue;
            };
            let host = self.member_index(&s.host)?;
            let host_created = self.created_at(host);
            let created_at = (self.now - since_days * DAY).max(host_created + DAY);
            let until = if until_days > 0 {
                self.now - until_days * DAY
            } else {
                self.now + 60 * DAY
            };
            let audience = self.resolve(&s.audience, host)?;
            let first_day = local_date(self.tz, created_at.max(self.window_start - 31 * DAY));
            let last_day = local_date(self.tz, until);
            let no_fixed_time = matches!(cadence, Cadence::NoFixedTime { .. });

            // Occurrences on the calendar (the fixed ones), and the starts of held sessions.
            let mut occurrences = Vec::new();
            let mut day = first_day;
            let mut week_index = 0i64;
            while day <= last_day {
                let hit = match cadence {
                    Cadence::Weekdays => !is_weekend(day),
                    Cadence::Weekly(w) => day.weekday() == w,
                    Cadence::Biweekly(w) => day.weekday() == w && week_index % 2 == 0,
                    Cadence::Monthly(w, nth) => {
                        NaiveDate::from_weekday_of_month_opt(day.year(), day.month(), w, nth)
                            == Some(day)
                    }
                    Cadence::NoFixedTime { .. } => false,
                };
                if hit {
                    occurrences.push(local_ts(self.tz, day, s.hour, s.minute));
                }
                day = add_days(day, 1);
                if day.weekday() == Weekday::Mon {
                    week_index += 1;
                }
            }
            let mut starts: Vec<(i64, bool)> = occurrences.iter().map(|&t| (t, false)).collect();
            if let Cadence::NoFixedTime {
                per_week,
                night_pct,
            } = cadence
            {
                let mut week = monday_of(first_day);
                while week <= last_day {
                    for _ in 0..self.rng.poisson(per_week) {
                        let d = add_days(week, self.rng.range(0, 4));
                        let night = self.rng.pct(night_pct);
                        let t = if night {
                            // Late in the evening: most of these run past midnight.
                            local_ts(self.tz, d, 22, 30) + self.rng.range(0, 80 * 60)
                        } else {
                            self.time_on(d, 8, 19)
                        };
                        starts.push((t, night));
                    }
                    week = add_days(week, 7);
                }
                starts.sort_unstable();
            }

            let mut sessions = Vec::new();
            for (occ, night) in starts {
                if occ < self.window_start.max(created_at) || occ >= until || occ >= self.now {
                    continue;
                }
                let date = local_date(self.tz, occ);
                if !night && self.is_holiday(date) {
                    continue;
                }
                // Monthly events (all-hands, webinars) always take place; weekly ones are
                // cancelled now and then, during the host's holidays and half of the quiet month.
                let monthly = matches!(cadence, Cadence::Monthly(..));
                let quiet = self.spec.quiet_month == Some(date.month()) && self.rng.pct(50);
                if !monthly && (quiet || self.on_vacation(host, date) || self.rng.pct(6)) {
                    continue;
                }
                let start = if no_fixed_time {
                    occ
                } else {
                    occ + self.rng.range(-90, 240)
                };
                let end = start + self.actual_length(s.minutes);
                if end >= self.now || !self.is_free(host, start, end) {
                    continue;
                }
                self.book(host, start, end);
                sessions.push((start, end));
            }

            // The next occurrence of a running series, else its first since it was created
            // (none without a fixed time).
            let after = if until_days == 0 {
                self.now + 1
            } else {
                created_at
            };
            let next = occurrences.iter().copied().find(|&t| t >= after);
            let scheduled_start = next.or(occurrences.first().copied());
            let meeting_type = match no_fixed_time {
                true => "RECURRING_NO_FIXED_TIME",
                false => "RECURRING_FIXED",
            };
            plans.push(Plan {
                scheduled_start,
                deleted_at: deleted
                    .then_some(until + 2 * HOUR)
                    .filter(|t| *t < self.now),
                recurring: true,
                ..self.spec_plan(s, host, meeting_type, created_at, audience, sessions)
            });
        }
        Ok(())
    }

    pub(crate) fn plan_one_offs(&mut self, plans: &mut Vec<Plan>) -> Result<(), DbErr> {
        let spec = self.spec;
        for o in &spec.meetings {
            let When::OneOff {
                day,
                meeting_type,
                held,
                deleted_days_ago,
            } = o.when
            else {
                continue;
            };
            let host = self.member_index(&o.host)?;
            let host_created = self.created_at(host);
            let mut date = add_days(self.today(), day);
            while is_weekend(date) {
                date = add_days(date, if day < 0 { -1 } else { 1 });
            }
            let at = local_ts(self.tz, date, o.hour, o.minute);
            let no_fixed_time = meeting_type == "RECURRING_NO_FIXED_TIME";
            let created_at = if no_fixed_time {
                at
            } else if at > self.now {
                // Upcoming: scheduled during the last few weeks.
                self.now - self.rng.range(1, 20) * DAY - self.rng.range(0, 8 * HOUR)
            } else {
                at - self.rng.range(3, 21) * DAY - self.rng.range(0, 8 * HOUR)
            }
            .max(host_created + HOUR);
            let mut sessions = Vec::new();
            if held && !no_fixed_time {
                let start = at + self.rng.range(-60, 180);
                let end = start + self.actual_length(o.minutes);
                if end < self.now {
                    self.book(host, start, end);
                    sessions.push((start, end));
                }
            }
            let audience = self.resolve(&o.audience, host)?;
            let deleted_at = deleted_days_ago.map(|d| {
                (self.now - d * DAY + self.rng.range(0, 6 * HOUR))
                    .max(created_at + HOUR)
                    .min(self.now - 60)
            });
            plans.push(Plan {
                scheduled_start: (!no_fixed_time).then_some(at),
                deleted_at,
                ..self.spec_plan(o, host, meeting_type, created_at, audience, sessions)
            });
        }
        Ok(())
    }

    /// The bulk: one-off scheduled and instant meetings drawn from each host's profile,
    /// including scheduled ones in the coming weeks.
    pub(crate) fn plan_random(&mut self, plans: &mut Vec<Plan>) {
        let today = self.today();
        for host in 0..self.members.len() {
            let Some(m) = self.members.get(host).cloned() else {
                continue;
            };
            if !m.spec.profile.hosts() {
                continue;
            }
            let (sched_rate, instant_rate) = m.spec.profile.weekly_rates();
            let start_day = local_date(self.tz, self.window_start.max(m.created_at + DAY));
            let mut week = monday_of(start_day);
            let horizon = add_days(today, 35);
            while week <= horizon {
                let weeks_ahead = (week - monday_of(today)).num_days() / 7;
                let mut damp = self.activity;
                if self.spec.quiet_month == Some(week.month()) {
                    damp *= 0.4;
                }
                if (week.month() == 12 && week.day() >= 20)
                    || (week.month() == 1 && week.day() <= 2)
                {
                    damp *= 0.3;
                }
                if weeks_ahead > 0 {
                    // Fewer meetings are already scheduled the further out we look.
                    damp *= 0.6 / weeks_ahead as f64;
                }
                if !self.on_vacation(host, week) {
                    for _ in 0..self.rng.poisson(sched_rate * damp) {
                        self.random_scheduled(plans, host, week, start_day);
                    }
                    if weeks_ahead <= 0 {
                        let rate = instant_rate * self.spec.rates.instants * damp;
                        for _ in 0..self.rng.poisson(rate) {
                            self.random_instant(plans, host, week, start_day);
                        }
                    }
                }
                week = add_days(week, 7);
            }
        }
    }

    fn random_scheduled(
        &mut self,
        plans: &mut Vec<Plan>,
        host: usize,
        week: NaiveDate,
        start_day: NaiveDate,
    ) {
        let date = add_days(week, self.rng.range(0, 4));
        if date < start_day || self.is_holiday(date) {
            return;
        }
        let hour = 9 + self.rng.weighted(&[6, 10, 8, 2, 6, 9, 9, 6, 3]) as u32;
        let minute = self.rng.one_of(&[0, 0, 0, 15, 30, 30, 45]);
        let minutes = if self.profile(host) == Some(Profile::Busy) {
            self.rng.one_of(&[15, 20, 30, 30, 45])
        } else {
            self.rng.one_of(&[30, 30, 30, 45, 60, 60, 90])
        };
        let mut at = local_ts(self.tz, date, hour, minute);
        let (audience, topic, support) = self.random_audience(host);
        let host_created = self.created_at(host);
        let mut sessions = Vec::new();
        let created_at = if at > self.now {
            let latest = self.now - HOUR;
            let earliest = (at - 21 * DAY).max(self.now - 14 * DAY).min(latest);
            self.rng.range(earliest, latest).max(host_created + HOUR)
        } else {
            let mut start = at + self.rng.range(-120, 300);
            let len = self.actual_length(minutes);
            if !self.is_free(host, start, start + len) {
                at += HOUR;
                start += HOUR;
            }
            let end = start + len;
            if end >= self.now || !self.is_free(host, start, end) {
                return;
            }
            self.book(host, start, end);
            sessions.push((start, end));
            (at - self.rng.range(1, 21) * DAY - self.rng.range(0, 8 * HOUR))
                .max(host_created + HOUR)
        };
        plans.push(Plan {
            scheduled_start: Some(at),
            planned_minutes: Some(minutes as i32),
            record_pct: 20 * u32::from(self.spec.cloud && minutes >= 45),
            poll_pct: 3,
            support,
            host,
            meeting_type: "SCHEDULED",
            topic,
            created_at,
            audience,
            sessions,
            ..Plan::default()
        });
    }

    fn random_instant(
        &mut self,
        plans: &mut Vec<Plan>,
        host: usize,
        week: NaiveDate,
        start_day: NaiveDate,
    ) {
        let date = add_days(week, self.rng.range(0, 4));
        if date < start_day || self.is_holiday(date) {
            return;
        }
        let start = self.time_on(date, 8, 19);
        let len = self.rng.range(8, 55) * 60;
        let len = self.spec.max_minutes.map_or(len, |m| len.min(m * 60));
        let end = start + len;
        if end >= self.now || !self.is_free(host, start, end) {
            return;
        }
        self.book(host, start, end);
        let first = self.members.get(host).map_or("Host", |m| m.spec.first);
        let (audience, topic) = if self.rng.pct(40) {
            match self.colleagues(host, 1).first() {
                Some(&o) => (Audience::OneOnOne(o), format!("{first}'s Zoom meeting")),
                None => (Audience::Group(Vec::new()), "Quick sync".to_owned()),
            }
        } else {
            let n = self.rng.range(1, 4) as usize;
            let group = Audience::Group(self.colleagues(host, n));
            let topics = ["Quick sync", "Ad-hoc call", "Huddle", "Follow-up"];
            (group, self.rng.one_of(&topics).to_owned())
        };
        plans.push(Plan {
            scheduled_start: Some(start),
            host,
            meeting_type: "INSTANT",
            topic,
            created_at: start - self.rng.range(5, 120),
            audience,
            sessions: vec![(start, end)],
            ..Plan::default()
        });
    }

    /// Who a random one-off meeting of `host` invites, and its topic.
    fn random_audience(&mut self, host: usize) -> (Audience, String, bool) {
        let dept = self.dept_name(host);
        let external_pct = match dept {
            _ if self.profile(host) == Some(Profile::Busy) => 60,
            "Sales" | "Support" | "Customer Success" => 55,
            "Marketing" => 20,
            "Operations" | "General" => 15,
            "Finance" => 10,
            _ => 8,
        };
        let companies: Vec<usize> = (0..COMPANIES.len())
            .filter(|&c| self.by_company.get(c).is_some_and(|l| !l.is_empty()))
            .collect();
        let n = 4000 + self.rng.below(6000);
        if self.rng.pct(external_pct) {
            if let Some(&company) = self.rng.pick(&companies) {
                let name = COMPANIES.get(company).map_or("", |c| c.name);
                let template = self
                    .rng
                    .pick(names::external_topics(dept))
                    .copied()
                    .unwrap_or("Call — {c}");
                let topic = template.replace("{c}", name).replace("{n}", &n.to_string());
                let k = usize::from(self.rng.pct(35));
                let colleagues = self.colleagues(host, k);
                return (
                    Audience::External {
                        company: Some(company),
                        colleagues,
                    },
                    topic,
                    dept == "Support",
                );
            }
        }
        if self.rng.pct(18) {
            if let Some(&other) = self.colleagues(host, 1).first() {
                let a = self.members.get(host).map_or("", |m| m.spec.first);
                let b = self.members.get(other).map_or("", |m| m.spec.first);
                return (Audience::OneOnOne(other), format!("1:1 {a} / {b}"), false);
            }
        }
        // A group: mostly the host's department, some from elsewhere.
        let (min, max) = self.spec.rates.group;
        let size = self.rng.range(min, max) as usize;
        let mut group = self.colleagues(host, size * 2 / 3 + 1);
        let mut others: Vec<usize> = (self.circle(host).into_iter())
            .filter(|i| *i != host && !group.contains(i))
            .filter(|&i| self.profile(i).is_some_and(|p| p != Profile::Dormant))
            .collect();
        // Join-only people are invited more often.
        others.sort_by_key(|&i| self.profile(i).map(|p| p != Profile::JoinOnly));
        let extra = size.saturating_sub(group.len());
        others.truncate(extra + 3);
        self.rng.shuffle(&mut others);
        group.extend(others.into_iter().take(extra));
        let template = self
            .rng
            .pick(names::internal_topics(dept))
            .copied()
            .unwrap_or("Sync");
        (
            Audience::Group(group),
            template.replace("{n}", &n.to_string()),
            false,
        )
    }
}
