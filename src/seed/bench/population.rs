//! The benchmark data generator: the demo's shape at any size, streamed a day at a time.
//!
//! Two accounts: **Bench Corp** (`bench.example`, BUSINESS, Europe/Paris, billing reports,
//! webinars, phone system) with the requested number of users, and **Partner Ltd**
//! (`partner.example`, America/New_York) with twelve, so tenant scoping is exercised.
//!
//! Users come in teams of fifteen; teams belong to departments. A few *heavy* hosts (one in a
//! hundred) run about ten short meetings a working day, regular hosts one or two, light hosts a
//! couple a month; others only join, a few never do anything. Recurring series (daily
//! stand-ups, weekly team meetings, biweekly 1:1s, monthly department and company all-hands,
//! monthly webinars, customer bridges with no fixed time) are planned up front; one-off
//! meetings and webinars (with hundreds of registrants) are drawn day by day and calibrated so
//! that the account holds about 100 sessions per user per twelve months, with about ten join
//! rows each (rejoins and phone legs included).
//!
//! Memory stays bounded: only the directory and the series live for the whole run. Each day's
//! rows (sessions and everything under them, sign-ins, phone calls, operation-log entries, the
//! day's storage, the month's invoice) go into a [`Dataset`] that is handed to the sink every
//! [`CHUNK_ROWS`] rows; outside people are a pure function of their number, and so are a
//! user's sign-ins on a day (which gives `last_login_at` before any sign-in row is written).

use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Tz;
use sea_orm::DbErr;
use std::collections::{BTreeMap, HashSet};

use crate::seed::generator::{
    add_days, client_version, dt, is_weekend, local_date, local_ts, DAY, HOUR,
};
use crate::seed::names::{self, COMPANIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES};
use crate::seed::rng::{fnv1a, mix, uuid_v7_like, Rng};
use crate::seed::session::{self, Tuning};
use crate::seed::spec::Cadence;
use crate::seed::table::{Account, AppUser, CustomRole, Dataset, Department, SignInEvent};

pub(crate) const CHUNK_ROWS: u64 = 10_000;
/// Sessions per user per twelve months the calibration aims at.
pub(crate) const SESSIONS_PER_USER_YEAR: f64 = 100.0;
/// Users per team.
pub(super) const TEAM: usize = 15;
/// Largest meetings (the Business plan's limit) and webinars (the 500 add-on).
pub(super) const MEETING_CAP: usize = 300;
pub(super) const WEBINAR_CAP: usize = 500;

/// Department names, in the order teams are assigned to them.
pub(super) const DEPARTMENTS: [&str; 10] = [
    "Sales",
    "Engineering",
    "Support",
    "Marketing",
    "Customer Success",
    "Product",
    "Operations",
    "Finance",
    "People",
    "Legal",
];

/// The bench's rates: a little more rejoining, fewer poll answers and support sessions than
/// the demo's.
pub(super) const BENCH_TUNING: Tuning = Tuning {
    meeting_rejoin_pct: 10,
    webinar_phone_pct: 4,
    poll_respondent_pct: 60,
    support_pct: 40,
    admin_pct: 70,
};

pub(super) const DEVICES: [&str; 5] = ["Windows", "Mac", "Web", "iOS", "Android"];
pub(super) const DEVICE_WEIGHTS: [u32; 5] = [40, 28, 14, 10, 8];

/// What one run generates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    pub(crate) now: i64,
    pub(crate) seed: u64,
    pub(crate) users: u32,
    pub(crate) months: u32,
}

/// A chunk of rows and how far the generator has come.
pub(crate) struct Chunk {
    pub(crate) data: Dataset,
    /// Days of the window generated so far, and in all.
    pub(crate) day: u32,
    pub(crate) days: u32,
}

/// Counts the tables do not tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GenStats {
    pub(crate) accounts: u64,
    pub(crate) webinars: u64,
    pub(crate) heavy_hosts: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Heavy,
    Regular,
    Light,
    JoinOnly,
    Dormant,
}

impl Kind {
    /// Relative one-off sessions per working day (scaled by the calibration).
    pub(super) fn weight(self) -> f64 {
        match self {
            Kind::Heavy => 10.0,
            Kind::Regular => 1.0,
            Kind::Light => 0.12,
            Kind::JoinOnly | Kind::Dormant => 0.0,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) dept: usize,
    pub(super) team: usize,
    pub(super) kind: Kind,
    pub(super) created_at: i64,
    pub(super) device: &'static str,
    pub(super) ip: String,
    pub(super) home_ip: String,
    pub(super) location: &'static str,
    pub(super) country: &'static str,
    pub(super) phone: String,
    pub(super) extension: String,
    pub(super) licensed: bool,
    pub(super) phone_user: bool,
    pub(super) webinar_host: bool,
    /// Days the client lags behind the newest release.
    pub(super) lag: i64,
    /// Two vacation weeks, as week numbers modulo 52.
    pub(super) vacation: (i64, i64),
    /// One-off sessions per working day.
    pub(super) rate: f64,
}

impl Member {
    pub(super) fn active_at(&self, ts: i64) -> bool {
        self.kind != Kind::Dormant && self.created_at < ts
    }

    pub(super) fn on_vacation(&self, date: NaiveDate) -> bool {
        let week = i64::from(date.num_days_from_ce()).div_euclid(7) % 52;
        week == self.vacation.0 || week == self.vacation.1
    }
}

/// An outside person, a pure function of their number.
#[derive(Debug, Clone)]
pub(super) struct Guest {
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) company: Option<usize>,
    pub(super) email: String,
    pub(super) device: &'static str,
    pub(super) ip: String,
    pub(super) location: &'static str,
    pub(super) country: &'static str,
    pub(super) phone: String,
    pub(super) title: &'static str,
}

#[derive(Debug, Clone)]
pub(super) enum Aud {
    Team(usize),
    Dept(usize),
    AllHands,
    OneOnOne(usize),
    Group(Vec<usize>),
    External {
        company: usize,
        colleagues: Vec<usize>,
        guests: u32,
    },
    Webinar {
        panelists: Vec<usize>,
        registrants: u32,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Series {
    pub(super) meeting_id: i64,
    pub(super) number: i64,
    pub(super) host: usize,
    pub(super) cadence: Cadence,
    pub(super) hour: u32,
    pub(super) minute: u32,
    pub(super) minutes: i64,
    pub(super) aud: Aud,
    pub(super) created_at: i64,
    pub(super) until: i64,
    pub(super) record_pct: u32,
    pub(super) poll_pct: u32,
    pub(super) qa_pct: u32,
    pub(super) support: bool,
    /// When the previous occurrence started (registrations for the next one open then).
    pub(super) last_start: i64,
}

/// A series before it becomes a meeting: host, topic, cadence, (hour, minute), minutes,
/// audience, (record, poll, Q&A percentages).
pub(super) type PlannedSeries = (
    usize,
    String,
    Cadence,
    (u32, u32),
    i64,
    Aud,
    (u32, u32, u32),
);

/// A one-off meeting or webinar, before it becomes rows.
#[derive(Debug, Clone)]
pub(super) struct OneOff {
    pub(super) topic: String,
    pub(super) meeting_type: &'static str,
    pub(super) minutes: i64,
    pub(super) aud: Aud,
    pub(super) record_pct: u32,
    pub(super) poll_pct: u32,
    pub(super) qa_pct: u32,
    pub(super) support: bool,
}

#[derive(Debug, Clone)]
pub(super) enum Src {
    Series(usize),
    OneOff(Box<OneOff>),
}

#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub(super) src: Src,
    pub(super) host: usize,
    pub(super) start: i64,
    pub(super) end: i64,
}

/// When a session runs, and who hosts it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) host: usize,
    pub(super) start: i64,
    pub(super) end: i64,
}

/// A registrant once stored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reg {
    pub(super) id: i64,
    pub(super) prospect: u64,
    pub(super) approved: bool,
    pub(super) registered_at: i64,
}

#[derive(Debug, Clone)]
pub(super) enum Who {
    Member(usize),
    Guest(Box<Guest>),
    Room(&'static str),
}

#[derive(Debug, Clone)]
pub(super) struct Invite {
    pub(super) who: Who,
    pub(super) role: &'static str,
    pub(super) registrant_id: Option<i64>,
}

/// One account's settings.
pub(super) struct AcctSpec {
    pub(super) platform_id: &'static str,
    pub(super) name: &'static str,
    pub(super) domain: &'static str,
    pub(super) plan: &'static str,
    pub(super) time_zone: &'static str,
    pub(super) phone_plan: Option<&'static str>,
    pub(super) allowance: i64,
    pub(super) users: usize,
    pub(super) home: (&'static str, &'static str),
    pub(super) away: [(&'static str, &'static str); 3],
    pub(super) office_net: &'static str,
    pub(super) home_net: &'static str,
    pub(super) rooms: &'static [&'static str],
    pub(super) holidays: &'static [(u32, u32)],
    pub(super) license_price_micros: i64,
    pub(super) tax_rate_per_100k: i64,
    /// (local part, first, last, role, custom role, department, kind)
    pub(super) named: &'static [NamedUser],
    pub(super) roles: &'static [(&'static str, bool, bool, bool)],
}

pub(super) type NamedUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    usize,
    Kind,
);

pub(super) const BENCH_NAMED: [NamedUser; 4] = [
    ("owner", "Claire", "Moreau", "OWNER", None, 6, Kind::Regular),
    ("admin", "Hugo", "Bernard", "ADMIN", None, 6, Kind::Regular),
    (
        "analyst",
        "Nora",
        "Petit",
        "MEMBER",
        Some("Analyst"),
        7,
        Kind::Light,
    ),
    (
        "auditor",
        "Paul",
        "Girard",
        "MEMBER",
        Some("Auditor"),
        9,
        Kind::JoinOnly,
    ),
];

pub(super) const PARTNER_NAMED: [NamedUser; 2] = [
    ("owner", "Grace", "Hopper", "OWNER", None, 6, Kind::Regular),
    ("admin", "Alan", "Kay", "ADMIN", None, 6, Kind::Light),
];

pub(super) const ROLES: [(&str, bool, bool, bool); 3] = [
    ("Analyst", true, false, false),
    ("Auditor", false, true, false),
    ("Billing admin", false, false, true),
];

pub(super) fn bench_corp(users: usize) -> AcctSpec {
    AcctSpec {
        name: "Bench Corp",
        platform_id: "bench-corp",
        domain: "bench.example",
        plan: "BUSINESS",
        time_zone: "Europe/Paris",
        phone_plan: Some("Pro"),
        // 2 TiB.
        allowance: 2_199_023_255_552,
        users,
        home: ("Paris, FR", "FR"),
        away: [
            ("Lyon, FR", "FR"),
            ("London, GB", "GB"),
            ("Berlin, DE", "DE"),
        ],
        office_net: "198.51.100",
        home_net: "203.0.113",
        rooms: &names::ROOMS_PARIS,
        holidays: &[
            (1, 1),
            (5, 1),
            (5, 8),
            (7, 14),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ],
        license_price_micros: 21_990_000,
        tax_rate_per_100k: 20_000,
        named: &BENCH_NAMED,
        roles: &ROLES,
    }
}

pub(super) fn partner() -> AcctSpec {
    AcctSpec {
        name: "Partner Ltd",
        platform_id: "partner-ltd",
        domain: "partner.example",
        plan: "BUSINESS",
        time_zone: "America/New_York",
        phone_plan: None,
        // 500 GiB.
        allowance: 536_870_912_000,
        users: 12,
        home: ("New York, US", "US"),
        away: [
            ("Boston, US", "US"),
            ("Chicago, US", "US"),
            ("Toronto, CA", "CA"),
        ],
        office_net: "203.0.113",
        home_net: "198.51.100",
        rooms: &names::ROOMS_NEW_YORK,
        holidays: &[(1, 1), (5, 25), (7, 4), (9, 7), (11, 26), (12, 25)],
        license_price_micros: 19_990_000,
        tax_rate_per_100k: 8_875,
        named: &PARTNER_NAMED,
        roles: &ROLES[..1],
    }
}

pub(super) fn err(msg: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("bench data: {msg}"))
}

/// Distinct numbers below `n`, `k` of them (Floyd's algorithm), in draw order.
pub(crate) fn sample_distinct(rng: &mut Rng, n: u64, k: usize) -> Vec<u64> {
    let k = (k as u64).min(n);
    let mut seen = HashSet::with_capacity(k as usize);
    let mut out = Vec::with_capacity(k as usize);
    for j in (n - k)..n {
        let t = rng.below(j + 1);
        let x = if seen.contains(&t) { j } else { t };
        seen.insert(x);
        out.push(x);
    }
    out
}

/// A meeting number (11 digits) that is distinct for distinct meeting ids below 2^36.
pub(crate) fn meeting_number(seed: u64, id: i64) -> i64 {
    const MASK: u64 = (1 << 36) - 1;
    let a = (mix(seed ^ 0x6d65_6574) | 1) & MASK;
    let b = mix(seed ^ 0x6e75_6d62) & MASK;
    10_000_000_000 + (((id as u64).wrapping_mul(a).wrapping_add(b)) & MASK) as i64
}

/// Shared output state: the chunk being filled and the sink it goes to.
pub(super) struct Out<'s> {
    pub(super) ds: Dataset,
    pub(super) seed: u64,
    pub(super) day: u32,
    pub(super) days: u32,
    pub(super) stats: GenStats,
    pub(super) sink: &'s mut dyn FnMut(Chunk) -> bool,
}

impl Out<'_> {
    /// A time-ordered source id for row `id` of `table`, for an event at `ts`.
    pub(super) fn uid(&self, table: &str, id: i64, ts: i64) -> String {
        uuid_v7_like(self.seed, table, id, ts * 1000 + (id % 1000))
    }

    pub(super) fn flush(&mut self) -> Result<(), DbErr> {
        let data = self.ds.take();
        let chunk = Chunk {
            data,
            day: self.day,
            days: self.days,
        };
        if (self.sink)(chunk) {
            Ok(())
        } else {
            Err(err("the writer stopped"))
        }
    }

    pub(super) fn maybe_flush(&mut self) -> Result<(), DbErr> {
        if self.ds.row_count() >= CHUNK_ROWS {
            self.flush()?;
        }
        Ok(())
    }
}

/// One account's generator state.
pub(super) struct Acct {
    pub(super) spec: AcctSpec,
    pub(super) tz: Tz,
    pub(super) id: i64,
    pub(super) now: i64,
    pub(super) window_start: i64,
    pub(super) rng: Rng,
    pub(super) guest_key: u64,
    pub(super) signin_key: u64,
    pub(super) guests: u64,
    pub(super) dept_ids: Vec<i64>,
    pub(super) members: Vec<Member>,
    pub(super) teams: Vec<Vec<usize>>,
    /// Member indexes per department.
    pub(super) depts: Vec<Vec<usize>>,
    pub(super) hosts: Vec<usize>,
    pub(super) admins: Vec<usize>,
    pub(super) series: Vec<Series>,
    /// Members added during the window, by creation time: (created_at, index).
    pub(super) joiners: Vec<(i64, usize)>,
    pub(super) next_joiner: usize,
    pub(super) storage: i64,
    pub(super) cleaned: i64,
    pub(super) conference_costs: BTreeMap<(i32, u32), i64>,
    pub(super) phone_charges: BTreeMap<(i32, u32), i64>,
}

impl Acct {
    pub(super) fn new(spec: AcctSpec, p: &Params, window_start: i64) -> Result<Self, DbErr> {
        let tz: Tz = spec
            .time_zone
            .parse()
            .map_err(|_| err(format!("unknown time zone {}", spec.time_zone)))?;
        let salt = fnv1a(spec.domain);
        Ok(Self {
            tz,
            id: 0,
            now: p.now,
            window_start,
            rng: Rng::derive(p.seed, spec.domain),
            guest_key: mix(p.seed ^ salt ^ 0x6775_6573),
            signin_key: mix(p.seed ^ salt ^ 0x7369_676e),
            guests: 3_000 + 30 * spec.users as u64,
            dept_ids: Vec::new(),
            members: Vec::new(),
            teams: Vec::new(),
            depts: Vec::new(),
            hosts: Vec::new(),
            admins: Vec::new(),
            series: Vec::new(),
            joiners: Vec::new(),
            next_joiner: 0,
            storage: 0,
            cleaned: 0,
            conference_costs: BTreeMap::new(),
            phone_charges: BTreeMap::new(),
            spec,
        })
    }

    pub(super) fn today(&self) -> NaiveDate {
        local_date(self.tz, self.now)
    }

    pub(super) fn time_on(&mut self, date: NaiveDate, from_h: u32, to_h: u32) -> i64 {
        let start = local_ts(self.tz, date, from_h, 0);
        let end = local_ts(self.tz, date, to_h, 0);
        self.rng.range(start, (end - 1).max(start))
    }

    pub(super) fn is_holiday(&self, date: NaiveDate) -> bool {
        let md = (date.month(), date.day());
        self.spec.holidays.contains(&md) || (date.month() == 12 && date.day() >= 24)
    }

    pub(super) fn dept_name(&self, member: usize) -> &'static str {
        self.members
            .get(member)
            .and_then(|m| DEPARTMENTS.get(m.dept).copied())
            .unwrap_or("Operations")
    }

    pub(super) fn owner(&self) -> usize {
        0
    }

    pub(super) fn admin_or_owner(&mut self) -> usize {
        let owner = self.owner();
        session::admin_or_owner(&mut self.rng, &self.admins, owner, BENCH_TUNING.admin_pct)
    }

    /// Outside person number `i`: people `16k + c` (c < 12) work for company `c`, the others
    /// are independent.
    pub(super) fn guest(&self, i: u64) -> Guest {
        let mut r = Rng::new(mix(self.guest_key ^ i));
        let first = r.one_of(&FIRST_NAMES);
        let last = r.one_of(&LAST_NAMES);
        let c = (i % 16) as usize;
        let company = (c < COMPANIES.len()).then_some(c);
        let (domain, location, country) = match company.and_then(|c| COMPANIES.get(c)) {
            Some(c) => (c.domain, c.location, c.country),
            None => {
                let (loc, cc) = r.one_of(&[
                    ("Paris, FR", "FR"),
                    ("London, GB", "GB"),
                    ("New York, US", "US"),
                    ("Berlin, DE", "DE"),
                    ("Montreal, CA", "CA"),
                ]);
                (r.one_of(&names::MAIL_DOMAINS), loc, cc)
            }
        };
        let device = DEVICES
            .get(r.weighted(&DEVICE_WEIGHTS))
            .copied()
            .unwrap_or("Web");
        Guest {
            first,
            last,
            company,
            email: format!(
                "{}.{}{}@{domain}",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase(),
                i
            ),
            device,
            ip: format!("192.0.2.{}", 1 + (i * 37 + r.below(7)) % 254),
            location,
            country,
            phone: names::phone_number(country, r.below(10_000)),
            title: r.one_of(&JOB_TITLES),
        }
    }

    /// A random person of `company`.
    pub(super) fn guest_of(&mut self, company: usize) -> u64 {
        company as u64 + 16 * self.rng.below(self.guests / 16)
    }

    pub(super) fn directory(&mut self, out: &mut Out) -> Result<(), DbErr> {
        let spec = &self.spec;
        let created = self.now - 2_000 * DAY;
        self.id = out.ds.add(Account {
            platform_id: spec.platform_id,
            name: spec.name,
            domain: spec.domain,
            plan: spec.plan,
            time_zone: spec.time_zone,
            billing_reports_enabled: true,
            webinar_addon: true,
            phone_plan: spec.phone_plan,
            cloud_storage_allowance_bytes: spec.allowance,
            created_at: dt(created),
        });
        let account = self.id;
        for d in DEPARTMENTS {
            let id = out.ds.add(Department {
                account_id: account,
                name: d,
            });
            self.dept_ids.push(id);
        }
        let mut role_ids = Vec::new();
        for (name, usage, activity, billing) in spec.roles {
            let id = out.ds.add(CustomRole {
                account_id: account,
                name,
                usage_reports: *usage,
                user_activity_reports: *activity,
                billing_reports: *billing,
            });
            role_ids.push((*name, id));
        }

        let n = spec.users.max(spec.named.len());
        let generated = n - spec.named.len();
        let heavy_count = (generated / 100).max(usize::from(generated > 0));
        let heavy: HashSet<u64> = sample_distinct(&mut self.rng, generated as u64, heavy_count)
            .into_iter()
            .collect();
        let first_id = out.ds.app_user.next_id();
        let mut roles_of = Vec::with_capacity(n);
        for i in 0..n {
            let id = first_id + i as i64;
            let named = spec.named.get(i);
            let (first, last, local, role, custom, dept, team, kind) = match named {
                Some(&(local, first, last, role, custom, dept, kind)) => (
                    first,
                    last,
                    local.to_owned(),
                    role,
                    custom,
                    dept,
                    usize::MAX,
                    kind,
                ),
                None => {
                    let g = i - spec.named.len();
                    let team = g / TEAM;
                    let first = self.rng.one_of(&FIRST_NAMES);
                    let last = self.rng.one_of(&LAST_NAMES);
                    let kind = if heavy.contains(&(g as u64)) {
                        Kind::Heavy
                    } else {
                        match self.rng.below(100) {
                            0..35 => Kind::Regular,
                            35..71 => Kind::Light,
                            71..93 => Kind::JoinOnly,
                            _ => Kind::Dormant,
                        }
                    };
                    let role = if g % 500 == 7 { "ADMIN" } else { "MEMBER" };
                    let local = format!(
                        "{}.{}{}",
                        first.to_ascii_lowercase(),
                        last.to_ascii_lowercase(),
                        g + 1
                    );
                    (
                        first,
                        last,
                        local,
                        role,
                        None,
                        team % DEPARTMENTS.len(),
                        team,
                        kind,
                    )
                }
            };
            let created_at = if named.is_some() {
                self.now - 1_900 * DAY + self.rng.range(0, 8 * HOUR)
            } else if self.rng.pct(12) {
                // Joined during the window.
                self.rng
                    .range(self.window_start + DAY, self.now - 2 * DAY)
                    .max(self.window_start + DAY)
            } else {
                self.window_start - self.rng.range(30, 1_500) * DAY - self.rng.range(0, DAY)
            };
            let (location, country) = if self.rng.pct(80) {
                spec.home
            } else {
                self.rng.one_of(&spec.away)
            };
            let device = DEVICES
                .get(self.rng.weighted(&DEVICE_WEIGHTS))
                .copied()
                .unwrap_or("Web");
            let licensed = match kind {
                Kind::Heavy | Kind::Regular | Kind::Light => true,
                Kind::JoinOnly => self.rng.pct(50),
                Kind::Dormant => self.rng.pct(30),
            } || role != "MEMBER";
            let dept_name = DEPARTMENTS.get(dept).copied().unwrap_or("Operations");
            let phone_user = licensed
                && (role == "OWNER"
                    || matches!(
                        dept_name,
                        "Sales" | "Support" | "Customer Success" | "Operations"
                    ))
                && kind != Kind::Dormant;
            let webinar_host = matches!(kind, Kind::Heavy | Kind::Regular)
                && (dept_name == "Marketing"
                    || (dept_name == "Product" && self.rng.pct(30))
                    || (kind == Kind::Heavy && heavy_count > 0 && self.rng.pct(50))
                    || (named.is_none() && i == spec.named.len()));
            let k = i as u64;
            let email = format!("{local}@{}", spec.domain);
            self.members.push(Member {
                id,
                name: format!("{first} {last}"),
                email,
                dept,
                team,
                kind,
                created_at,
                device,
                ip: format!("{}.{}", spec.office_net, 10 + k % 200),
                home_ip: format!("{}.{}", spec.home_net, 20 + (k * 7) % 230),
                location,
                country,
                phone: names::phone_number(country, 3_100 + k),
                extension: names::phone_number(country, 5_000 + k),
                licensed,
                phone_user,
                webinar_host,
                lag: self.rng.range(0, 30) * DAY,
                vacation: (self.rng.range(0, 51), self.rng.range(0, 51)),
                rate: 0.0,
            });
            let custom_role_id =
                custom.and_then(|c| role_ids.iter().find(|(n, _)| *n == c).map(|(_, id)| *id));
            roles_of.push((role, custom_role_id));
            if role == "ADMIN" {
                self.admins.push(i);
            }
            if created_at >= self.window_start {
                self.joiners.push((created_at, i));
            }
        }
        self.joiners.sort_unstable();
        for (i, m) in self.members.iter().enumerate() {
            if m.team != usize::MAX {
                if self.teams.len() <= m.team {
                    self.teams.resize(m.team + 1, Vec::new());
                }
                if let Some(t) = self.teams.get_mut(m.team) {
                    t.push(i);
                }
            }
        }
        self.depts = vec![Vec::new(); DEPARTMENTS.len()];
        for (i, m) in self.members.iter().enumerate() {
            if let Some(d) = self.depts.get_mut(m.dept) {
                d.push(i);
            }
        }

        for i in 0..self.members.len() {
            let last_login = self.last_sign_in(i);
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let (role, custom_role_id) = roles_of.get(i).copied().unwrap_or(("MEMBER", None));
            let source = out.uid("app_user", m.id, m.created_at);
            let id = out.ds.add(AppUser {
                account_id: account,
                source_id: Some(source),
                email: m.email.clone(),
                first_name: m.name.split(' ').next().unwrap_or_default().to_owned(),
                last_name: m.name.split(' ').nth(1).unwrap_or_default().to_owned(),
                role,
                custom_role_id,
                department_id: self.dept_ids.get(m.dept).copied(),
                user_type: if m.licensed { "LICENSED" } else { "BASIC" },
                created_at: dt(m.created_at),
                last_login_at: last_login.map(|(t, _)| dt(t)),
                last_client_version: last_login.map(|(_, v)| v),
            });
            debug_assert_eq!(id, m.id);
        }
        Ok(())
    }

    /// Member `i`'s sign-in on `date`, if any: (sign-in, sign-out, client, from home). A pure
    /// function of the arguments, so `last_login_at` is known before the rows are written.
    pub(super) fn sign_in_on(
        &self,
        i: usize,
        date: NaiveDate,
    ) -> Option<(i64, Option<i64>, &'static str, bool)> {
        let m = self.members.get(i)?;
        let day = date.num_days_from_ce() as u64;
        let mut r = Rng::new(mix(self.signin_key
            ^ (m.id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ day));
        let pct = match m.kind {
            Kind::Heavy | Kind::Regular => 32,
            Kind::Light | Kind::JoinOnly => 22,
            Kind::Dormant => 2,
        };
        let pct = if is_weekend(date) { pct / 10 } else { pct };
        if !r.pct(pct) {
            return None;
        }
        let start = local_ts(self.tz, date, 8, 0);
        let t = start + r.range(0, 2 * HOUR - 1);
        if t <= m.created_at + HOUR || t < self.window_start || t >= self.now {
            return None;
        }
        let client = if r.pct(80) {
            m.device
        } else if matches!(m.device, "iOS" | "Android") {
            "Web"
        } else {
            r.one_of(&["iOS", "Android"])
        };
        let out = if r.pct(70) {
            let o = local_ts(self.tz, date, 16, 0) + r.range(0, 4 * HOUR - 1);
            (o < self.now).then_some(o)
        } else {
            None
        };
        Some((t, out, client, r.pct(30)))
    }

    pub(super) fn last_sign_in(&self, i: usize) -> Option<(i64, &'static str)> {
        let m = self.members.get(i)?;
        let first = local_date(self.tz, self.window_start.max(m.created_at));
        let mut date = self.today();
        while date >= first {
            if let Some((t, ..)) = self.sign_in_on(i, date) {
                return Some((t, client_version(t - m.lag, self.now)));
            }
            date = add_days(date, -1);
        }
        None
    }

    pub(super) fn sign_ins(&self, out: &mut Out, date: NaiveDate) {
        for i in 0..self.members.len() {
            let Some((t, sign_out, client, home)) = self.sign_in_on(i, date) else {
                continue;
            };
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let version = client_version(t - m.lag, self.now);
            let ip = if home { &m.home_ip } else { &m.ip };
            for (at, kind) in
                std::iter::once((t, "SIGN_IN")).chain(sign_out.map(|o| (o, "SIGN_OUT")))
            {
                let id = out.ds.sign_in_event.next_id();
                let source = out.uid("sign_in_event", id, at);
                out.ds.add(SignInEvent {
                    account_id: self.id,
                    source_id: source,
                    user_id: m.id,
                    occurred_at: dt(at),
                    event_type: kind,
                    ip_address: ip.clone(),
                    client_type: client,
                    version,
                });
            }
        }
    }
}

/// The first instant of the window: `months` calendar months before `now` (Paris time).
pub(crate) fn window_start(now: i64, months: u32) -> i64 {
    let t = dt(now);
    t.checked_sub_months(Months::new(months))
        .map_or(now - i64::from(months) * 30 * DAY, |s| s.timestamp())
}

/// Generates the whole data set, handing it to `sink` a chunk at a time; stops with an error
/// when `sink` returns false (the writer gave up).
pub(crate) fn generate(p: Params, sink: &mut dyn FnMut(Chunk) -> bool) -> Result<GenStats, DbErr> {
    let start = window_start(p.now, p.months);
    let mut accts = vec![
        Acct::new(bench_corp(p.users as usize), &p, start)?,
        Acct::new(partner(), &p, start)?,
    ];
    let first = accts
        .iter()
        .map(|a| local_date(a.tz, start))
        .min()
        .unwrap_or_default();
    let last = accts.iter().map(|a| a.today()).max().unwrap_or_default();
    let days = ((last - first).num_days() + 1).max(1) as u32;
    let mut out = Out {
        ds: Dataset::new(),
        seed: p.seed,
        day: 0,
        days,
        stats: GenStats::default(),
        sink,
    };
    let years = f64::from(p.months) / 12.0;
    for a in &mut accts {
        a.directory(&mut out)?;
        out.stats.accounts += 1;
        out.stats.heavy_hosts += a.members.iter().filter(|m| m.kind == Kind::Heavy).count() as u64;
        a.plan_series(&mut out);
        let users = a.members.len() as f64;
        a.calibrate(SESSIONS_PER_USER_YEAR * users * years);
        out.maybe_flush()?;
    }
    let mut date = first;
    while date <= last {
        for a in &mut accts {
            let local_first = local_date(a.tz, start);
            if date >= local_first && date <= a.today() {
                a.day(&mut out, date)?;
            }
        }
        out.day += 1;
        date = add_days(date, 1);
    }
    for a in &mut accts {
        a.upcoming(&mut out)?;
    }
    out.day = days;
    out.flush()?;
    Ok(out.stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::bench::calendar::occurs;
    use chrono::Weekday;

    #[test]
    pub(super) fn samples_are_distinct_and_in_range() {
        let mut rng = Rng::new(3);
        for (n, k) in [(10, 10), (1_000, 300), (5, 9), (0, 3), (1_000_000, 800)] {
            let s = sample_distinct(&mut rng, n, k);
            assert_eq!(s.len(), k.min(n as usize));
            let set: HashSet<u64> = s.iter().copied().collect();
            assert_eq!(set.len(), s.len());
            assert!(s.iter().all(|&x| x < n));
        }
    }

    #[test]
    pub(super) fn meeting_numbers_are_distinct_and_eleven_digits() {
        let mut seen = HashSet::new();
        for id in 1..200_000 {
            let n = meeting_number(42, id);
            assert!((10_000_000_000..100_000_000_000).contains(&n), "{n}");
            assert!(seen.insert(n));
        }
    }

    #[test]
    pub(super) fn cadences() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert!(occurs(Cadence::Monthly(Weekday::Thu, 1), d(2026, 11, 5)));
        assert!(!occurs(Cadence::Monthly(Weekday::Thu, 1), d(2026, 11, 12)));
        assert!(occurs(Cadence::Weekdays, d(2026, 11, 13)));
        assert!(!occurs(Cadence::Weekdays, d(2026, 11, 14)));
        let biweekly = (0..28)
            .filter(|k| {
                occurs(
                    Cadence::Biweekly(Weekday::Tue),
                    add_days(d(2026, 11, 1), *k),
                )
            })
            .count();
        assert_eq!(biweekly, 2);
    }

    #[test]
    pub(super) fn window_is_calendar_months() {
        let now = d_ts(2026, 11, 28);
        assert_eq!(window_start(now, 12), d_ts(2025, 11, 28));
        assert_eq!(window_start(now, 2), d_ts(2026, 9, 28));
    }

    pub(super) fn d_ts(y: i32, m: u32, d: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or_default()
    }

    /// Every row of a small run, in memory.
    pub(super) fn run(users: u32, months: u32, seed: u64) -> (Dataset, GenStats, usize) {
        let mut all = Dataset::new();
        let mut chunks = 0;
        let p = Params {
            now: d_ts(2026, 11, 28),
            seed,
            users,
            months,
        };
        let stats = generate(p, &mut |c: Chunk| {
            chunks += 1;
            for (to, from) in all.tables_mut().into_iter().zip(c.data.tables()) {
                assert_eq!(to.next_id(), from.taken + 1, "{}", to.name);
                to.rows.extend(from.rows.iter().cloned());
            }
            true
        });
        match stats {
            Ok(s) => (all, s, chunks),
            Err(e) => panic!("generation failed: {e}"),
        }
    }

    #[test]
    pub(super) fn small_runs_are_deterministic_and_scale() {
        let (a, stats, chunks) = run(30, 3, 7);
        let (b, _, _) = run(30, 3, 7);
        assert!(a == b, "two runs with the same arguments differ");
        let (c, _, _) = run(30, 3, 8);
        assert!(a != c, "another seed gives the same rows");
        assert!(chunks >= 1, "{chunks} chunks");
        assert_eq!(stats.accounts, 2);
        assert!(stats.webinars > 0);
        // Bench Corp's 30 users and Partner's 12, a quarter of a year.
        let expected = 100.0 * 42.0 / 4.0;
        let sessions = a.meeting_session.len() as f64;
        assert!(
            (expected * 0.7..expected * 1.3).contains(&sessions),
            "{sessions} sessions, expected about {expected}"
        );
        for t in a.tables() {
            for (k, row) in t.rows.iter().enumerate() {
                assert_eq!(row.len(), t.columns.len() + 1, "{}", t.name);
                assert_eq!(
                    row.first(),
                    Some(&sea_orm::Value::from(k as i64 + 1)),
                    "{}",
                    t.name
                );
            }
        }
    }

    #[test]
    pub(super) fn chunks_stay_small() {
        let mut biggest = 0;
        let p = Params {
            now: d_ts(2026, 11, 28),
            seed: 1,
            users: 60,
            months: 2,
        };
        let r = generate(p, &mut |c: Chunk| {
            biggest = biggest.max(c.data.row_count());
            true
        });
        assert!(r.is_ok());
        // A chunk ends at the first session boundary past CHUNK_ROWS.
        assert!(biggest < CHUNK_ROWS + 3_000, "{biggest}");
    }

    #[test]
    pub(super) fn a_refusing_sink_stops_the_generator() {
        let p = Params {
            now: d_ts(2026, 11, 28),
            seed: 1,
            users: 20,
            months: 2,
        };
        let mut calls = 0;
        let r = generate(p, &mut |_| {
            calls += 1;
            false
        });
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
