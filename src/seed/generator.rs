//! One account's generator, for the demo's cast and the bench's population alike: the account,
//! its users and their sign-ins, and the outside people. The plan of its meetings is in
//! `plan.rs`, their rows in `meetings.rs`; storage, phone system, billing and logs in `admin.rs`.
//!
//! [`AccountGen::run`] draws from one random stream per account in a fixed order (directory,
//! prospects, recurring meetings, hand-placed meetings, random meetings, then the account-level
//! rows), so the same spec and seed always give the same rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use sea_orm::DbErr;

use super::{
    names::{self, COMPANIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, MAIL_DOMAINS},
    rng::Rng,
    session::Person,
    spec::{AccountSpec, Names, Profile, UserSpec},
    table::{Account, AppUser, CustomRole, Dataset, Department, SignInEvent},
};

pub(crate) const DAY: i64 = 86_400;
pub(crate) const HOUR: i64 = 3_600;
/// A streaming run hands its rows on once it holds this many.
pub(crate) const CHUNK_ROWS: u64 = 10_000;
/// Largest meetings (the Business plan's limit) and webinars (the 500 add-on).
pub(crate) const MEETING_CAP: usize = 300;
pub(crate) const WEBINAR_CAP: usize = 500;

/// Seconds since the epoch as a UTC timestamp (whole seconds by construction).
pub(crate) fn dt(ts: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(ts, 0).unwrap_or_default()
}

/// `date` at `hour:minute` in `tz`, as seconds since the epoch. A time in a DST gap moves an
/// hour later; an ambiguous one takes the earlier instant.
pub(crate) fn local_ts(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> i64 {
    let naive = date
        .and_hms_opt(hour.min(23), minute.min(59), 0)
        .unwrap_or_else(|| date.and_time(NaiveTime::MIN));
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, _) => a.timestamp(),
        LocalResult::None => tz
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or_else(|| naive.and_utc().timestamp()),
    }
}

/// The calendar day of `ts` in `tz`.
pub(crate) fn local_date(tz: Tz, ts: i64) -> NaiveDate {
    dt(ts).with_timezone(&tz).date_naive()
}

pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(days))
        .unwrap_or(date)
}

pub(crate) fn monday_of(date: NaiveDate) -> NaiveDate {
    add_days(date, -i64::from(date.weekday().num_days_from_monday()))
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The newest client release at `t` (the oldest one before them all).
pub(crate) fn client_version(t: i64, now: i64) -> &'static str {
    let released = |(_, days_ago): &&(&str, i64)| now - days_ago * DAY <= t;
    let newest = names::CLIENT_RELEASES.iter().rev().find(released);
    newest.unwrap_or(&names::CLIENT_RELEASES[0]).0
}

#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) id: i64,
    pub(crate) spec: UserSpec,
    pub(crate) email: String,
    pub(crate) dept: Option<usize>,
    pub(crate) created_at: i64,
    /// No activity at or after this instant.
    pub(crate) quiet_from: i64,
    pub(crate) person: Person,
    pub(crate) home_ip: String,
    /// Phone-system number.
    pub(crate) extension: String,
}

impl Member {
    /// Can take part in something at `ts`.
    pub(crate) fn active_at(&self, ts: i64) -> bool {
        self.spec.profile != Profile::Dormant && self.created_at < ts && ts < self.quiet_from
    }

    /// Has a phone-system licence: licensed owners and licensed people in customer-facing
    /// departments.
    pub(crate) fn phone_user(&self) -> bool {
        let facing = ["Sales", "Support", "Customer Success", "Operations"];
        let customer_facing = self.spec.dept.is_some_and(|d| facing.contains(&d));
        self.spec.licensed && (self.spec.role == "OWNER" || customer_facing)
    }
}

/// An outside person: invited to meetings, registers for webinars.
#[derive(Debug, Clone)]
pub(crate) struct Prospect {
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) company: Option<usize>,
    pub(crate) title: &'static str,
    pub(crate) person: Person,
}

/// Who a planned meeting invites, resolved to indexes.
#[derive(Debug, Clone, Default)]
pub(crate) enum Audience {
    Dept(usize),
    Team(usize),
    #[default]
    AllHands,
    OneOnOne(usize),
    Group(Vec<usize>),
    External {
        company: Option<usize>,
        colleagues: Vec<usize>,
    },
    /// The panelists.
    Webinar(Vec<usize>),
}

/// A meeting or webinar and its sessions, before it becomes rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) host: usize,
    pub(crate) webinar: bool,
    pub(crate) meeting_type: &'static str,
    pub(crate) topic: String,
    pub(crate) scheduled_start: Option<i64>,
    pub(crate) planned_minutes: Option<i32>,
    pub(crate) registrants: u32,
    pub(crate) created_at: i64,
    pub(crate) deleted_at: Option<i64>,
    pub(crate) audience: Audience,
    pub(crate) sessions: Vec<(i64, i64)>,
    /// Part of a series: attendance per session is lower.
    pub(crate) recurring: bool,
    pub(crate) record_pct: u32,
    pub(crate) poll_pct: u32,
    pub(crate) qa_pct: u32,
    /// Support meetings come with remote-support sessions.
    pub(crate) support: bool,
}

/// An operation-log entry waiting for its row.
#[derive(Debug, Clone)]
pub(crate) struct OpEntry {
    pub(crate) at: i64,
    /// A member index; `None`: an operator who no longer exists.
    pub(crate) operator: Option<usize>,
    pub(crate) category: &'static str,
    pub(crate) action: &'static str,
    pub(crate) detail: String,
}

/// State shared by all accounts of one data set.
pub(crate) struct Shared<'s> {
    pub(crate) ds: Dataset,
    pub(crate) seed: u64,
    pub(crate) now: i64,
    pub(crate) meeting_numbers: BTreeSet<i64>,
    /// Meetings of kind WEBINAR so far.
    pub(crate) webinars: u64,
    /// Takes the rows held whenever there are [`CHUNK_ROWS`] of them, and answers whether to
    /// go on; `None`: every row stays in [`Shared::ds`].
    pub(crate) sink: Option<&'s mut dyn FnMut(Dataset) -> bool>,
}

/// Generates the `accounts` of one data set, handing its rows to `sink` (if any) a chunk at a
/// time; what is left, and the count of webinars, stays in the returned state.
pub(crate) fn generate<'s>(
    seed: u64,
    now: i64,
    accounts: &[AccountSpec],
    sink: Option<&'s mut dyn FnMut(Dataset) -> bool>,
) -> Result<Shared<'s>, DbErr> {
    let mut shared = Shared {
        ds: Dataset::new(),
        seed,
        now,
        meeting_numbers: BTreeSet::new(),
        webinars: 0,
        sink,
    };
    for spec in accounts {
        AccountGen::new(&mut shared, spec)?.run()?;
    }
    shared.flush(true)?;
    Ok(shared)
}

impl Shared<'_> {
    /// Hands the rows held to the sink once there are enough of them (or `all`).
    pub(crate) fn flush(&mut self, all: bool) -> Result<(), DbErr> {
        let Some(sink) = self.sink.as_mut() else {
            return Ok(());
        };
        if (all || self.ds.row_count() >= CHUNK_ROWS) && !sink(self.ds.take()) {
            return Err(DbErr::Custom("seed data: the writer stopped".to_owned()));
        }
        Ok(())
    }
}

pub(crate) struct AccountGen<'a, 's> {
    pub(crate) sh: &'a mut Shared<'s>,
    pub(crate) spec: &'a AccountSpec,
    pub(crate) tz: Tz,
    pub(crate) now: i64,
    /// `spec.months` before `now`: nothing happens earlier (except creations).
    pub(crate) window_start: i64,
    pub(crate) window_days: i64,
    pub(crate) rng: Rng,
    pub(crate) account_id: i64,
    pub(crate) dept_ids: Vec<i64>,
    pub(crate) members: Vec<Member>,
    /// Member indexes by the local part of their e-mail.
    by_local: HashMap<String, usize>,
    /// Member indexes per department; the last entry: members of none.
    pub(crate) depts: Vec<Vec<usize>>,
    /// Member indexes per team.
    pub(crate) teams: Vec<Vec<usize>>,
    pub(crate) prospects: Vec<Prospect>,
    /// Prospect indexes per company.
    pub(crate) by_company: Vec<Vec<usize>>,
    pub(crate) busy: Vec<Vec<(i64, i64)>>,
    pub(crate) vacations: Vec<Vec<NaiveDate>>,
    /// Multiplies every host's one-off meeting rate.
    pub(crate) activity: f64,
    /// (local day the recording ended, total bytes).
    pub(crate) recordings: Vec<(NaiveDate, i64)>,
    /// Audio-conferencing cost per (year, month) of the account's zone.
    pub(crate) conference_costs: BTreeMap<(i32, u32), i64>,
    /// Phone-system charges per (year, month).
    pub(crate) phone_charges: BTreeMap<(i32, u32), i64>,
    pub(crate) ops: Vec<OpEntry>,
    /// Member indexes of the admins.
    pub(crate) admins: Vec<usize>,
}

fn err(msg: String) -> DbErr {
    DbErr::Custom(format!("seed data: {msg}"))
}

/// Clients, with the platform's shares.
#[rustfmt::skip]
pub(crate) const DEVICES: [(&str, u32); 5] =
    [("Windows", 40), ("Mac", 28), ("Web", 14), ("iOS", 10), ("Android", 8)];

#[rustfmt::skip]
const INDEPENDENT_PLACES: [(&str, &str); 6] = [
    ("Paris, FR", "FR"), ("London, GB", "GB"), ("New York, US", "US"), ("Berlin, DE", "DE"),
    ("Montreal, CA", "CA"), ("Brussels, BE", "BE"),
];

/// Indexes of `users` per department (the last entry: users in none) and per team.
pub(crate) fn groups(
    users: &[UserSpec],
    departments: &[&str],
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut depts = vec![Vec::new(); departments.len() + 1];
    let mut teams: Vec<Vec<usize>> = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let d = departments.iter().position(|d| Some(*d) == u.dept);
        if let Some(list) = depts.get_mut(d.unwrap_or(departments.len())) {
            list.push(i);
        }
        if let Some(t) = u.team {
            teams.resize(teams.len().max(t + 1), Vec::new());
            if let Some(list) = teams.get_mut(t) {
                list.push(i);
            }
        }
    }
    (depts, teams)
}

impl<'a, 's> AccountGen<'a, 's> {
    pub(crate) fn new(sh: &'a mut Shared<'s>, spec: &'a AccountSpec) -> Result<Self, DbErr> {
        let tz: Tz = spec
            .time_zone
            .parse()
            .map_err(|_| err(format!("unknown time zone {}", spec.time_zone)))?;
        let now = sh.now;
        let rng = Rng::derive(sh.seed, spec.domain);
        let window_days = i64::from(spec.months) * 365 / 12;
        Ok(Self {
            sh,
            spec,
            tz,
            now,
            window_start: now - window_days * DAY,
            window_days,
            rng,
            account_id: 0,
            dept_ids: Vec::new(),
            members: Vec::new(),
            by_local: HashMap::new(),
            depts: Vec::new(),
            teams: Vec::new(),
            prospects: Vec::new(),
            by_company: vec![Vec::new(); COMPANIES.len()],
            busy: Vec::new(),
            vacations: Vec::new(),
            activity: spec.activity,
            recordings: Vec::new(),
            conference_costs: BTreeMap::new(),
            phone_charges: BTreeMap::new(),
            ops: Vec::new(),
            admins: Vec::new(),
        })
    }

    /// Generates the whole account.
    pub(crate) fn run(mut self) -> Result<(), DbErr> {
        self.account_and_directory()?;
        self.admins = (0..self.members.len())
            .filter(|&i| self.members.get(i).is_some_and(|m| m.spec.role == "ADMIN"))
            .collect();
        self.make_prospects();
        let mut plans = Vec::new();
        self.plan_series(&mut plans)?;
        self.plan_one_offs(&mut plans)?;
        if let Some(target) = self.spec.sessions_per_user_year {
            self.calibrate(target, &plans);
        }
        self.plan_random(&mut plans);
        // Ids follow creation time, as they would on the platform. A bulk load (time-ordered
        // ids) appends to the indexes by time: every meeting, then every session in the order
        // they took place; else each meeting comes with its sessions.
        plans.sort_by_key(|p| p.created_at);
        let mut opened = Vec::with_capacity(plans.len());
        let mut later = Vec::new();
        for (k, plan) in plans.iter().enumerate() {
            let m = self.meeting(plan);
            for (j, &session) in plan.sessions.iter().enumerate() {
                match &m {
                    Some(_) if self.spec.rates.time_ordered_ids => later.push((session.0, k, j)),
                    Some(m) => self.session(plan, m, session),
                    None => {}
                }
            }
            opened.push(m);
            self.sh.flush(false)?;
        }
        later.sort_unstable();
        for (_, k, j) in later {
            if let (Some(p), Some(Some(m))) = (plans.get(k), opened.get(k)) {
                self.session(p, m, p.sessions.get(j).copied().unwrap_or_default());
            }
            self.sh.flush(false)?;
        }
        self.storage_usage();
        self.phone_system()?;
        self.billing();
        self.operation_logs();
        Ok(())
    }

    pub(crate) fn today(&self) -> NaiveDate {
        local_date(self.tz, self.now)
    }

    /// A random instant on `date` between `from_h` and `to_h` o'clock (local).
    pub(crate) fn time_on(&mut self, date: NaiveDate, from_h: u32, to_h: u32) -> i64 {
        let start = local_ts(self.tz, date, from_h, 0);
        let end = local_ts(self.tz, date, to_h, 0);
        self.rng.range(start, (end - 1).max(start))
    }

    pub(crate) fn is_holiday(&self, date: NaiveDate) -> bool {
        let md = (date.month(), date.day());
        self.spec.holidays.contains(&md) || (date.month() == 12 && date.day() >= 24) || md == (1, 2)
    }

    pub(crate) fn member_index(&self, local: &str) -> Result<usize, DbErr> {
        self.by_local
            .get(local)
            .copied()
            .ok_or_else(|| err(format!("no user {local} in {}", self.spec.name)))
    }

    /// The members `names` names, in that order.
    pub(crate) fn member_indexes(&self, names: &Names) -> Result<Vec<usize>, DbErr> {
        names
            .split_whitespace()
            .map(|n| self.member_index(n))
            .collect()
    }

    pub(crate) fn dept_index(&self, name: &str) -> Result<usize, DbErr> {
        self.spec
            .departments
            .iter()
            .position(|d| *d == name)
            .ok_or_else(|| err(format!("no department {name} in {}", self.spec.name)))
    }

    pub(crate) fn dept_name(&self, member: usize) -> &'static str {
        self.members
            .get(member)
            .and_then(|m| m.dept)
            .and_then(|d| self.spec.departments.get(d).copied())
            .unwrap_or("General")
    }

    /// The people `member` meets most: their team, else their department (or the others in
    /// none).
    pub(crate) fn mates(&self, member: usize) -> &[usize] {
        let m = self.members.get(member);
        let list = match m.and_then(|m| m.spec.team) {
            Some(t) => self.teams.get(t),
            None => self.depts.get(
                m.and_then(|m| m.dept)
                    .unwrap_or(self.spec.departments.len()),
            ),
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// The people `member` draws other invitees from: their department when they are in a
    /// team, else the whole account.
    pub(crate) fn circle(&self, member: usize) -> Vec<usize> {
        match self.members.get(member).filter(|m| m.spec.team.is_some()) {
            Some(m) => m
                .dept
                .and_then(|d| self.depts.get(d))
                .cloned()
                .unwrap_or_default(),
            None => (0..self.members.len()).collect(),
        }
    }

    /// The owner or, with the account's `admin_pct`, one of the admins.
    pub(crate) fn admin_or_owner(&mut self) -> usize {
        let owner = self.owner();
        match self.rng.pick(&self.admins) {
            Some(&a) if self.rng.pct(self.spec.rates.admin_pct) => a,
            _ => owner,
        }
    }

    /// `member` with `pct` percent, else [`Self::admin_or_owner`].
    pub(crate) fn member_or_admin(&mut self, member: usize, pct: u32) -> usize {
        if self.rng.pct(pct) {
            member
        } else {
            self.admin_or_owner()
        }
    }

    pub(crate) fn owner(&self) -> usize {
        self.members
            .iter()
            .position(|m| m.spec.role == "OWNER")
            .unwrap_or(0)
    }

    // ---------------------------------------------------------------- account and users

    fn account_and_directory(&mut self) -> Result<(), DbErr> {
        let spec = self.spec;
        let created = self.now - spec.created_days_ago * DAY;
        self.account_id = self.sh.ds.add(Account {
            platform_id: spec.platform_id,
            name: spec.name,
            domain: spec.domain,
            plan: spec.plan,
            time_zone: spec.time_zone,
            billing_reports_enabled: spec.billing_reports_enabled,
            webinar_addon: spec.webinar_addon,
            phone_plan: spec.phone_plan,
            cloud_storage_allowance_bytes: spec.cloud_storage_allowance_bytes,
            created_at: dt(created),
        });
        let account_id = self.account_id;
        let ds = &mut self.sh.ds;
        self.dept_ids = (spec.departments.iter())
            .map(|&name| ds.add(Department { account_id, name }))
            .collect();
        let role_ids: Vec<(&str, i64)> = (spec.roles.iter())
            .map(|r| {
                let id = ds.add(CustomRole {
                    account_id,
                    name: r.name,
                    usage_reports: r.usage_reports,
                    user_activity_reports: r.user_activity_reports,
                    billing_reports: r.billing_reports,
                });
                (r.name, id)
            })
            .collect();

        let first_id = self.sh.ds.app_user.next_id();
        (self.depts, self.teams) = groups(&spec.users, spec.departments);
        for (i, u) in spec.users.iter().enumerate() {
            let id = first_id + i as i64;
            let local = u.local_part();
            let email = format!("{local}@{}", spec.domain);
            let day = local_date(self.tz, self.now - u.created_days_ago * DAY);
            let created_at = self
                .time_on(day, 9, 18)
                .max(created + 60)
                .min(self.now - HOUR);
            let quiet_from = (u.quiet_days > 0).then_some(self.now - u.quiet_days * DAY);
            let dept = u.dept.map(|name| self.dept_index(name)).transpose()?;
            let n = i as u64;
            let person = Person {
                name: format!("{} {}", u.first, u.last),
                email: Some(email.clone()),
                user_id: Some(id),
                device: u.device,
                ip: format!("{}.{}", spec.office_net, 10 + n % 200),
                location: u.location,
                country: u.country,
                phone: names::phone_number(u.country, 3100 + n),
            };
            let home_net = if spec.office_net == "198.51.100" {
                "203.0.113"
            } else {
                "198.51.100"
            };
            self.by_local.insert(local, i);
            self.members.push(Member {
                id,
                spec: *u,
                email,
                dept,
                created_at,
                quiet_from: quiet_from.unwrap_or(i64::MAX),
                home_ip: format!("{home_net}.{}", 20 + (n * 7) % 230),
                extension: names::phone_number(u.country, 3150 + n),
                person,
            });
            // Two weeks of holiday a year, plus one in the quiet month.
            let first_day = local_date(self.tz, self.window_start);
            let mut weeks: Vec<NaiveDate> = (0..2)
                .map(|_| monday_of(add_days(first_day, self.rng.range(20, 340))))
                .collect();
            if let Some(month) = spec.quiet_month {
                let year = self.today().year() - i32::from(self.today().month() <= month);
                if let Some(d) =
                    NaiveDate::from_ymd_opt(year, month, 1 + self.rng.range(0, 20) as u32)
                {
                    weeks.push(monday_of(d));
                }
            }
            self.vacations.push(weeks);
            self.busy.push(Vec::new());
        }

        // Sign-ins first: they decide last_login_at and last_client_version.
        for i in 0..self.members.len() {
            let (last_login, version) = self.sign_ins(i);
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let u = m.spec;
            let custom_role_id = u
                .custom_role
                .and_then(|name| role_ids.iter().find(|(n, _)| *n == name).map(|(_, id)| *id));
            let department_id = m.dept.and_then(|d| self.dept_ids.get(d).copied());
            let source_id = self.uid::<AppUser>(m.created_at);
            let id = self.sh.ds.add(AppUser {
                account_id: self.account_id,
                source_id: Some(source_id),
                email: m.email.clone(),
                first_name: u.first.to_owned(),
                last_name: u.last.to_owned(),
                role: u.role,
                custom_role_id,
                department_id,
                user_type: if u.licensed { "LICENSED" } else { "BASIC" },
                created_at: dt(m.created_at),
                last_login_at: last_login.map(dt),
                last_client_version: version,
            });
            debug_assert_eq!(id, m.id);
            self.sh.flush(false)?;
        }
        Ok(())
    }

    /// SIGN_IN/SIGN_OUT pairs of member `i`; returns the last sign-in and its client version.
    fn sign_ins(&mut self, i: usize) -> (Option<i64>, Option<&'static str>) {
        let Some(m) = self.members.get(i).cloned() else {
            return (None, None);
        };
        let rate = match m.spec.profile {
            Profile::Busy | Profile::Heavy | Profile::Regular => 1.6,
            Profile::Light | Profile::JoinOnly => 1.1,
            Profile::Dormant => 0.5,
        } * self.spec.rates.sign_ins;
        let from = (m.created_at + HOUR).max(self.window_start);
        let to = self.now.min(m.quiet_from);
        if from >= to {
            return (None, None);
        }
        let lag = self.rng.range(0, 30) * DAY;
        let mut ins = Vec::new();
        let mut week = monday_of(local_date(self.tz, from));
        let last = local_date(self.tz, to);
        while week <= last {
            for _ in 0..self.rng.poisson(rate) {
                let day = add_days(week, self.rng.range(0, 4));
                let t = self.time_on(day, 8, 10);
                if t > from && t < to {
                    ins.push(t);
                }
            }
            week = add_days(week, 7);
        }
        if ins.is_empty() {
            // Everybody who can sign in has done so at least once.
            let t = from + self.rng.range(0, (to - from).min(2 * DAY));
            if t < to {
                ins.push(t);
            }
        }
        ins.sort_unstable();
        ins.dedup_by(|a, b| local_date(self.tz, *a) == local_date(self.tz, *b));

        let mut last_in = None;
        for (k, &t) in ins.iter().enumerate() {
            let next = ins.get(k + 1).copied().unwrap_or(i64::MAX);
            let client = if self.rng.pct(80) {
                m.spec.device
            } else if matches!(m.spec.device, "iOS" | "Android") {
                "Web"
            } else {
                self.rng.one_of(&["iOS", "Android"])
            };
            let version = client_version(t - lag, self.now);
            let ip = if self.rng.pct(70) {
                m.person.ip.clone()
            } else {
                m.home_ip.clone()
            };
            last_in = Some((t, version));
            let out = if self.rng.pct(70) {
                let day = local_date(self.tz, t);
                self.time_on(day, 16, 20)
            } else {
                t + self.rng.range(1, 3) * DAY + self.rng.range(0, 8 * HOUR)
            };
            let out = out.min(next - 600);
            let mut events = vec![(t, "SIGN_IN")];
            if out > t && out < self.now.min(m.quiet_from.saturating_add(DAY)) {
                events.push((out, "SIGN_OUT"));
            }
            for (at, event_type) in events {
                let source_id = self.uid::<SignInEvent>(at);
                self.sh.ds.add(SignInEvent {
                    account_id: self.account_id,
                    source_id,
                    user_id: m.id,
                    occurred_at: dt(at),
                    event_type,
                    ip_address: ip.clone(),
                    client_type: client,
                    version,
                });
            }
        }
        last_in.unzip()
    }

    fn make_prospects(&mut self) {
        let mut used = BTreeSet::new();
        for i in 0..self.spec.prospects {
            let first = self.rng.one_of(&FIRST_NAMES);
            let last = self.rng.one_of(&LAST_NAMES);
            let company = self.rng.pct(72).then_some(i % COMPANIES.len());
            let (domain, location, country) = match company.and_then(|c| COMPANIES.get(c)) {
                Some(c) => (c.domain, c.location, c.country),
                None => {
                    let (loc, cc) = self.rng.one_of(&INDEPENDENT_PLACES);
                    (self.rng.one_of(&MAIL_DOMAINS), loc, cc)
                }
            };
            let base = format!("{}.{}", first.to_lowercase(), last.to_lowercase());
            let mut email = format!("{base}@{domain}");
            let mut k = 2;
            while !used.insert(email.clone()) {
                email = format!("{base}{k}@{domain}");
                k += 1;
            }
            let device = self.rng.choose(&DEVICES);
            let person = Person {
                name: format!("{first} {last}"),
                email: Some(email),
                user_id: None,
                device,
                ip: format!("192.0.2.{}", 1 + (i as u64 * 37 + self.rng.below(7)) % 254),
                location,
                country,
                phone: names::phone_number(country, self.rng.below(10_000)),
            };
            if let Some(list) = company.and_then(|c| self.by_company.get_mut(c)) {
                list.push(i);
            }
            self.prospects.push(Prospect {
                first: first.to_owned(),
                last: last.to_owned(),
                company,
                title: self.rng.one_of(&JOB_TITLES),
                person,
            });
        }
    }
}
