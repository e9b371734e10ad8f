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

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate, Weekday};
use chrono_tz::Tz;
use sea_orm::DbErr;
use serde_json::json;

use super::{
    admin::{allocate, tax_of},
    generator::{add_days, client_version, dt, is_weekend, local_date, local_ts, DAY, HOUR},
    names::{self, COMPANIES, FIRST_NAMES, HEARD_FROM, JOB_TITLES, LAST_NAMES},
    rng::{fnv1a, mix, uuid_v7_like, Rng},
    session::{
        self, call_cost, Attendee, Kind as JoinKind, Person, Sitting, SourceIds, Tenant, Tuning,
        Writer,
    },
    table::{
        Account, AppUser, BillingInvoice, BillingLine, CustomRole, Dataset, Department, Meeting,
        OperationLog, PhoneCall, Registrant, SignInEvent, StorageUsageDaily,
    },
};

/// Rows per chunk handed to the sink (a chunk ends between sessions).
pub(crate) const CHUNK_ROWS: u64 = 10_000;
/// Sessions per user per twelve months the calibration aims at.
pub(crate) const SESSIONS_PER_USER_YEAR: f64 = 100.0;
/// Users per team.
const TEAM: usize = 15;
/// Largest meetings (the Business plan's limit) and webinars (the 500 add-on).
const MEETING_CAP: usize = 300;
const WEBINAR_CAP: usize = 500;

/// Department names, in the order teams are assigned to them.
const DEPARTMENTS: [&str; 10] = [
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
const BENCH_TUNING: Tuning = Tuning {
    meeting_rejoin_pct: 10,
    webinar_phone_pct: 4,
    poll_respondent_pct: 60,
    support_pct: 40,
    admin_pct: 70,
};

const DEVICES: [&str; 5] = ["Windows", "Mac", "Web", "iOS", "Android"];
const DEVICE_WEIGHTS: [u32; 5] = [40, 28, 14, 10, 8];

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
enum Kind {
    Heavy,
    Regular,
    Light,
    JoinOnly,
    Dormant,
}

impl Kind {
    /// Relative one-off sessions per working day (scaled by the calibration).
    fn weight(self) -> f64 {
        match self {
            Kind::Heavy => 10.0,
            Kind::Regular => 1.0,
            Kind::Light => 0.12,
            Kind::JoinOnly | Kind::Dormant => 0.0,
        }
    }
}

#[derive(Debug, Clone)]
struct BMember {
    id: i64,
    name: String,
    email: String,
    dept: usize,
    team: usize,
    kind: Kind,
    created_at: i64,
    device: &'static str,
    ip: String,
    home_ip: String,
    location: &'static str,
    country: &'static str,
    phone: String,
    extension: String,
    licensed: bool,
    phone_user: bool,
    webinar_host: bool,
    /// Days the client lags behind the newest release.
    lag: i64,
    /// Two vacation weeks, as week numbers modulo 52.
    vacation: (i64, i64),
    /// One-off sessions per working day.
    rate: f64,
}

impl BMember {
    fn active_at(&self, ts: i64) -> bool {
        self.kind != Kind::Dormant && self.created_at < ts
    }

    fn on_vacation(&self, date: NaiveDate) -> bool {
        let week = i64::from(date.num_days_from_ce()).div_euclid(7) % 52;
        week == self.vacation.0 || week == self.vacation.1
    }
}

/// An outside person, a pure function of their number.
#[derive(Debug, Clone)]
struct Guest {
    first: &'static str,
    last: &'static str,
    company: Option<usize>,
    email: String,
    device: &'static str,
    ip: String,
    location: &'static str,
    country: &'static str,
    phone: String,
    title: &'static str,
}

#[derive(Debug, Clone)]
enum Aud {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cadence {
    Weekdays,
    Weekly(Weekday),
    Biweekly(Weekday),
    Monthly(Weekday, u8),
    /// Used about this many times a week (tenths), at any hour.
    NoFixedTime(u32),
}

#[derive(Debug, Clone)]
struct Series {
    meeting_id: i64,
    number: i64,
    host: usize,
    cadence: Cadence,
    hour: u32,
    minute: u32,
    minutes: i64,
    aud: Aud,
    created_at: i64,
    until: i64,
    record_pct: u32,
    poll_pct: u32,
    qa_pct: u32,
    support: bool,
    /// When the previous occurrence started (registrations for the next one open then).
    last_start: i64,
}

/// A series before it becomes a meeting: host, topic, cadence, (hour, minute), minutes,
/// audience, (record, poll, Q&A percentages).
type PlannedSeries = (
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
struct OneOff {
    topic: String,
    meeting_type: &'static str,
    minutes: i64,
    aud: Aud,
    record_pct: u32,
    poll_pct: u32,
    qa_pct: u32,
    support: bool,
}

#[derive(Debug, Clone)]
enum Src {
    Series(usize),
    OneOff(Box<OneOff>),
}

#[derive(Debug, Clone)]
struct Planned {
    src: Src,
    host: usize,
    start: i64,
    end: i64,
}

/// When a session runs, and who hosts it.
#[derive(Debug, Clone, Copy)]
struct Span {
    host: usize,
    start: i64,
    end: i64,
}

/// A registrant once stored.
#[derive(Debug, Clone, Copy)]
struct Reg {
    id: i64,
    prospect: u64,
    approved: bool,
    registered_at: i64,
}

#[derive(Debug, Clone)]
enum Who {
    Member(usize),
    Guest(Box<Guest>),
    Room(&'static str),
}

#[derive(Debug, Clone)]
struct Att {
    who: Who,
    role: &'static str,
    registrant_id: Option<i64>,
}

/// One account's settings.
struct AcctSpec {
    name: &'static str,
    domain: &'static str,
    plan: &'static str,
    time_zone: &'static str,
    phone_plan: Option<&'static str>,
    allowance: i64,
    users: usize,
    home: (&'static str, &'static str),
    away: [(&'static str, &'static str); 3],
    office_net: &'static str,
    home_net: &'static str,
    rooms: &'static [&'static str],
    holidays: &'static [(u32, u32)],
    license_price_micros: i64,
    tax_rate_per_100k: i64,
    /// (local part, first, last, role, custom role, department, kind)
    named: &'static [NamedUser],
    roles: &'static [(&'static str, bool, bool, bool)],
}

type NamedUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    usize,
    Kind,
);

const BENCH_NAMED: [NamedUser; 4] = [
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

const PARTNER_NAMED: [NamedUser; 2] = [
    ("owner", "Grace", "Hopper", "OWNER", None, 6, Kind::Regular),
    ("admin", "Alan", "Kay", "ADMIN", None, 6, Kind::Light),
];

const ROLES: [(&str, bool, bool, bool); 3] = [
    ("Analyst", true, false, false),
    ("Auditor", false, true, false),
    ("Billing admin", false, false, true),
];

fn bench_corp(users: usize) -> AcctSpec {
    AcctSpec {
        name: "Bench Corp",
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

fn partner() -> AcctSpec {
    AcctSpec {
        name: "Partner Ltd",
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

fn err(msg: impl std::fmt::Display) -> DbErr {
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
struct Out<'s> {
    ds: Dataset,
    seed: u64,
    day: u32,
    days: u32,
    stats: GenStats,
    sink: &'s mut dyn FnMut(Chunk) -> bool,
}

impl Out<'_> {
    /// A time-ordered source id for row `id` of `table`, for an event at `ts`.
    fn uid(&self, table: &str, id: i64, ts: i64) -> String {
        uuid_v7_like(self.seed, table, id, ts * 1000 + (id % 1000))
    }

    fn flush(&mut self) -> Result<(), DbErr> {
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

    fn maybe_flush(&mut self) -> Result<(), DbErr> {
        if self.ds.row_count() >= CHUNK_ROWS {
            self.flush()?;
        }
        Ok(())
    }
}

/// One account's generator state.
struct Acct {
    spec: AcctSpec,
    tz: Tz,
    id: i64,
    now: i64,
    window_start: i64,
    rng: Rng,
    guest_key: u64,
    signin_key: u64,
    guests: u64,
    dept_ids: Vec<i64>,
    members: Vec<BMember>,
    teams: Vec<Vec<usize>>,
    /// Member indexes per department.
    depts: Vec<Vec<usize>>,
    hosts: Vec<usize>,
    admins: Vec<usize>,
    series: Vec<Series>,
    /// Members added during the window, by creation time: (created_at, index).
    joiners: Vec<(i64, usize)>,
    next_joiner: usize,
    storage: i64,
    cleaned: i64,
    conference_costs: BTreeMap<(i32, u32), i64>,
    phone_charges: BTreeMap<(i32, u32), i64>,
}

impl Acct {
    fn new(spec: AcctSpec, p: &Params, window_start: i64) -> Result<Self, DbErr> {
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

    fn today(&self) -> NaiveDate {
        local_date(self.tz, self.now)
    }

    fn time_on(&mut self, date: NaiveDate, from_h: u32, to_h: u32) -> i64 {
        let start = local_ts(self.tz, date, from_h, 0);
        let end = local_ts(self.tz, date, to_h, 0);
        self.rng.range(start, (end - 1).max(start))
    }

    fn is_holiday(&self, date: NaiveDate) -> bool {
        let md = (date.month(), date.day());
        self.spec.holidays.contains(&md) || (date.month() == 12 && date.day() >= 24)
    }

    fn dept_name(&self, member: usize) -> &'static str {
        self.members
            .get(member)
            .and_then(|m| DEPARTMENTS.get(m.dept).copied())
            .unwrap_or("Operations")
    }

    fn owner(&self) -> usize {
        0
    }

    fn admin_or_owner(&mut self) -> usize {
        let owner = self.owner();
        session::admin_or_owner(&mut self.rng, &self.admins, owner, BENCH_TUNING.admin_pct)
    }

    /// Outside person number `i`: people `16k + c` (c < 12) work for company `c`, the others
    /// are independent.
    fn guest(&self, i: u64) -> Guest {
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
    fn guest_of(&mut self, company: usize) -> u64 {
        company as u64 + 16 * self.rng.below(self.guests / 16)
    }

    // ------------------------------------------------------------------ directory

    fn directory(&mut self, out: &mut Out) -> Result<(), DbErr> {
        let spec = &self.spec;
        let created = self.now - 2_000 * DAY;
        self.id = out.ds.add(Account {
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
            self.members.push(BMember {
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

    // ------------------------------------------------------------------ sign-ins

    /// Member `i`'s sign-in on `date`, if any: (sign-in, sign-out, client, from home). A pure
    /// function of the arguments, so `last_login_at` is known before the rows are written.
    fn sign_in_on(
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

    fn last_sign_in(&self, i: usize) -> Option<(i64, &'static str)> {
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

    fn sign_ins(&self, out: &mut Out, date: NaiveDate) {
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

    // ------------------------------------------------------------------ series

    #[allow(clippy::too_many_arguments)]
    fn new_meeting(
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

    fn op(
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
        let (operator_id, email) = match operator.and_then(|i| self.members.get(i)) {
            Some(m) => (Some(m.id), m.email.clone()),
            None => (None, format!("former.admin@{}", self.spec.domain)),
        };
        let id = out.ds.operation_log.next_id();
        let source = out.uid("operation_log", id, at);
        out.ds.add(OperationLog {
            account_id: self.id,
            source_id: source,
            occurred_at: dt(at),
            operator_id,
            operator_email: email,
            category,
            action,
            detail,
        });
    }

    fn hosts_of(&self, members: &[usize]) -> Vec<usize> {
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

    fn plan_series(&mut self, out: &mut Out) {
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
                    Cadence::NoFixedTime(15),
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
            let no_fixed_time = matches!(cadence, Cadence::NoFixedTime(_));
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
    fn expected_series_sessions(&self) -> f64 {
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
                    Cadence::NoFixedTime(tenths) => f64::from(tenths) / 70.0,
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
    fn calibrate(&mut self, target: f64) {
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

    // ------------------------------------------------------------------ one day

    fn day(&mut self, out: &mut Out, date: NaiveDate) -> Result<(), DbErr> {
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
                Cadence::NoFixedTime(tenths) => {
                    let n = self.rng.poisson(f64::from(tenths) / 70.0);
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
    fn actual_length(&mut self, minutes: i64) -> i64 {
        let planned = minutes * 60;
        let len = if minutes <= 15 {
            self.rng.range(planned * 8 / 10, planned * 16 / 10)
        } else {
            self.rng.range(planned * 7 / 10, planned * 115 / 100)
        };
        len.max(300)
    }

    /// A one-off meeting of `host`, and its planned minutes.
    fn one_off(&mut self, host: usize) -> (OneOff, i64) {
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

    // ------------------------------------------------------------------ emission

    fn emit(&mut self, out: &mut Out, planned: Planned) -> Result<(), DbErr> {
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
    fn registrants(
        &mut self,
        out: &mut Out,
        mid: i64,
        webinar: bool,
        k: u32,
        open: i64,
        start: i64,
        upcoming: bool,
    ) -> Vec<Reg> {
        let open = open + 600;
        let close = start.min(self.now) - 600;
        let statuses = if upcoming {
            [("APPROVED", 75), ("PENDING", 18), ("DENIED", 7)]
        } else {
            [("APPROVED", 86), ("PENDING", 7), ("DENIED", 7)]
        };
        let picked = sample_distinct(&mut self.rng, self.guests, k as usize);
        let mut regs = Vec::with_capacity(picked.len());
        for g in picked {
            let guest = self.guest(g);
            let status = self.rng.choose(&statuses);
            let registered_at = if close > open {
                let u = self.rng.unit();
                open + ((close - open) as f64 * (1.0 - u * u)) as i64
            } else {
                open.min(self.now - 60)
            };
            let company = guest
                .company
                .and_then(|c| COMPANIES.get(c))
                .map_or("Self-employed", |c| c.name);
            let answers = if webinar {
                let mut a = vec![
                    json!({"question": "Company", "answer": company}),
                    json!({"question": "Job title", "answer": guest.title}),
                ];
                if self.rng.pct(50) {
                    a.push(json!({"question": "How did you hear about us?", "answer": self.rng.one_of(&HEARD_FROM)}));
                }
                serde_json::Value::Array(a).to_string()
            } else {
                json!([{"question": "Company", "answer": company}]).to_string()
            };
            let id = out.ds.registrant.next_id();
            let source = out.uid("registrant", id, registered_at);
            out.ds.add(Registrant {
                account_id: self.id,
                source_id: source,
                meeting_id: mid,
                email: guest.email,
                first_name: guest.first.to_owned(),
                last_name: guest.last.to_owned(),
                status,
                registered_at: dt(registered_at),
                custom_answers: answers,
            });
            regs.push(Reg {
                id,
                prospect: g,
                approved: status == "APPROVED",
                registered_at,
            });
        }
        regs
    }

    fn member_att(&mut self, i: usize, role: &'static str, at: i64) -> Option<Att> {
        let m = self.members.get(i)?;
        m.active_at(at).then_some(Att {
            who: Who::Member(i),
            role,
            registrant_id: None,
        })
    }

    /// `k` of `pool` at random, each attending with `pct` percent.
    fn some_members(
        &mut self,
        pool: &[usize],
        k: usize,
        pct: u32,
        host: usize,
        at: i64,
        atts: &mut Vec<Att>,
    ) {
        for j in sample_distinct(&mut self.rng, pool.len() as u64, k) {
            let Some(&i) = pool.get(j as usize) else {
                continue;
            };
            if i != host && self.rng.pct(pct) {
                atts.extend(self.member_att(i, "ATTENDEE", at));
            }
        }
    }

    fn attendees(
        &mut self,
        host: usize,
        aud: &Aud,
        s: i64,
        regs: &[Reg],
        recurring: bool,
    ) -> Vec<Att> {
        let mut atts = Vec::new();
        match aud {
            Aud::Team(t) => {
                let team = self.teams.get(*t).cloned().unwrap_or_default();
                for i in team {
                    if i != host && self.rng.pct(85) {
                        atts.extend(self.member_att(i, "ATTENDEE", s));
                    }
                }
                if self.rng.pct(10) {
                    if let Some(&room) = self.rng.pick(self.spec.rooms) {
                        atts.push(Att {
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
                self.some_members(&pool, k, 75, host, s, &mut atts);
                atts.truncate(MEETING_CAP);
            }
            Aud::AllHands => {
                let n = self.members.len();
                let pool: Vec<usize> = (0..n).collect();
                let k = n.min(MEETING_CAP * 5 / 3);
                self.some_members(&pool, k, 60, host, s, &mut atts);
                atts.truncate(MEETING_CAP);
                for room in self.spec.rooms.iter().take(2) {
                    atts.push(Att {
                        who: Who::Room(room),
                        role: "ATTENDEE",
                        registrant_id: None,
                    });
                }
            }
            Aud::OneOnOne(o) => {
                if self.rng.pct(95) {
                    atts.extend(self.member_att(*o, "ATTENDEE", s));
                }
            }
            Aud::Group(list) => {
                for &i in list {
                    if self.rng.pct(85) {
                        atts.extend(self.member_att(i, "ATTENDEE", s));
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
                        atts.extend(self.member_att(i, "ATTENDEE", s));
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
                        atts.push(Att {
                            who: Who::Guest(guest),
                            role: "ATTENDEE",
                            registrant_id: None,
                        });
                    }
                }
            }
            Aud::Webinar { panelists, .. } => {
                for &i in panelists {
                    atts.extend(self.member_att(i, "PANELIST", s));
                }
                if regs.is_empty() {
                    let n = self.rng.range(60, 250) as usize;
                    for g in sample_distinct(&mut self.rng, self.guests, n) {
                        let guest = Box::new(self.guest(g));
                        atts.push(Att {
                            who: Who::Guest(guest),
                            role: "ATTENDEE",
                            registrant_id: None,
                        });
                    }
                } else {
                    let pct = if recurring { 45 } else { 55 };
                    for r in regs {
                        if atts.len() >= WEBINAR_CAP {
                            break;
                        }
                        if r.approved && r.registered_at < s && self.rng.pct(pct) {
                            // Most carry their registrant id; some are matched by e-mail only.
                            let id = self.rng.pct(90).then_some(r.id);
                            atts.push(Att {
                                who: Who::Guest(Box::new(self.guest(r.prospect))),
                                role: "ATTENDEE",
                                registrant_id: id,
                            });
                        }
                    }
                }
            }
        }
        atts
    }

    #[allow(clippy::too_many_arguments)]
    fn session(
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
        let host = Att {
            who: Who::Member(p.host),
            role: "HOST",
            registrant_id: None,
        };
        let host = self.attendee(&host);
        let mut session = self.writer(out).open(&sitting, &host);
        let atts = self.attendees(p.host, aud, p.start, regs, recurring);
        let attendees: Vec<Attendee> = atts.iter().map(|a| self.attendee(a)).collect();
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
    fn attendee(&mut self, a: &Att) -> Attendee {
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

    fn writer<'a>(&'a mut self, out: &'a mut Out) -> Writer<'a> {
        let tenant = Tenant {
            account_id: self.id,
            domain: self.spec.domain,
            tz: self.tz,
            now: self.now,
            dial_in: self.spec.plan != "BASIC",
            ids: SourceIds::TimeOrdered(out.seed),
            tuning: BENCH_TUNING,
        };
        Writer {
            rows: &mut out.ds,
            rng: &mut self.rng,
            tenant,
            conference_costs: &mut self.conference_costs,
            admins: &self.admins,
            owner: 0,
        }
    }

    // ------------------------------------------------------------------ account level

    fn phone_system(&mut self, out: &mut Out, date: NaiveDate) {
        if self.spec.phone_plan.is_none() {
            return;
        }
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i) else {
                continue;
            };
            if !m.phone_user {
                continue;
            }
            let (created_at, home, extension, name, id) = (
                m.created_at,
                m.country,
                m.extension.clone(),
                m.name.clone(),
                m.id,
            );
            for _ in 0..self.rng.poisson(0.4) {
                let start = self.time_on(date, 9, 19);
                if start <= created_at {
                    continue;
                }
                let inbound = self.rng.pct(52);
                let result = self.rng.choose(&[
                    ("ANSWERED", 74),
                    ("MISSED", 10),
                    ("VOICEMAIL", 9),
                    ("REJECTED", 4),
                    ("BUSY", 3),
                ]);
                let duration = match result {
                    "ANSWERED" if self.rng.pct(70) => self.rng.range(20, 320),
                    "ANSWERED" => self.rng.range(320, 2_400),
                    "VOICEMAIL" => self.rng.range(8, 90),
                    _ => 0,
                };
                if start + duration >= self.now {
                    continue;
                }
                let country = if self.rng.pct(70) {
                    home
                } else {
                    self.rng.one_of(&["US", "GB", "DE", "FR"])
                };
                let other = names::phone_number(country, self.rng.below(10_000));
                let other_name = if self.rng.pct(60) {
                    let company = self.rng.pick(&COMPANIES).map_or("", |c| c.name);
                    Some(format!(
                        "{} {} ({company})",
                        self.rng.one_of(&FIRST_NAMES),
                        self.rng.one_of(&LAST_NAMES)
                    ))
                } else {
                    None
                };
                let charge = if !inbound && matches!(result, "ANSWERED" | "VOICEMAIL") {
                    call_cost(if country == home { 10_000 } else { 60_000 }, duration)
                } else {
                    0
                };
                let me = (extension.clone(), Some(name.clone()));
                let them = (other, other_name);
                let ((from, from_name), (to, to_name), direction) = if inbound {
                    (them, me, "INBOUND")
                } else {
                    (me, them, "OUTBOUND")
                };
                let row_id = out.ds.phone_call.next_id();
                let source = out.uid("phone_call", row_id, start);
                out.ds.add(PhoneCall {
                    account_id: self.id,
                    source_id: source,
                    user_id: Some(id),
                    direction,
                    caller_number: from,
                    caller_name: from_name,
                    callee_number: to,
                    callee_name: to_name,
                    start_time: dt(start),
                    duration_seconds: duration,
                    result,
                    charge_micros: charge,
                    currency: "USD",
                });
                if charge > 0 {
                    *self
                        .phone_charges
                        .entry((date.year(), date.month()))
                        .or_insert(0) += charge;
                }
            }
        }
    }

    /// The day's administrative entries: user and settings changes, by admins (now and then
    /// by an admin who has left since).
    fn admin_ops(&mut self, out: &mut Out, date: NaiveDate) {
        let n = self.rng.poisson(0.5 + self.members.len() as f64 / 300.0);
        for _ in 0..n {
            let Some(target) = self.rng.pick(&self.members).map(|m| m.email.clone()) else {
                break;
            };
            let at = self.time_on(date, 9, 18);
            let by = if self.rng.pct(2) {
                None
            } else {
                Some(self.admin_or_owner())
            };
            let (category, detail) = match self.rng.below(6) {
                0 => (
                    "USER",
                    format!("Changed user type of {target} from Basic to Licensed"),
                ),
                1 => ("USER", format!("Reset password of {target}")),
                2 => ("USER", format!("Updated profile of {target}: job title")),
                3 => (
                    "USER_SETTINGS",
                    format!(
                        "{} for {target}",
                        self.rng.one_of(&[
                            "Cloud recording: On",
                            "Allow alternative hosts: On",
                            "Personal meeting ID changed",
                            "Waiting room: Off",
                        ])
                    ),
                ),
                4 => (
                    "ACCOUNT",
                    format!(
                        "Account setting '{}'",
                        self.rng.one_of(&[
                            "Waiting room: On",
                            "Require passcode for instant meetings: On",
                            "Data center regions: EU only",
                            "Sign-in with SSO: Required",
                        ])
                    ),
                ),
                _ => (
                    "USER_SETTINGS",
                    format!("Large meetings add-on: assigned to {target}"),
                ),
            };
            self.op(out, at, by, category, "Update", detail);
        }
    }

    /// "Added user" entries for the users who joined on `date`.
    fn joiner_ops(&mut self, out: &mut Out, date: NaiveDate) {
        let end = local_ts(self.tz, add_days(date, 1), 0, 0);
        while let Some(&(at, i)) = self.joiners.get(self.next_joiner) {
            if at >= end {
                break;
            }
            self.next_joiner += 1;
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let detail = format!(
                "Added user {} ({}) to {}",
                m.email,
                if m.licensed { "Licensed" } else { "Basic" },
                DEPARTMENTS.get(m.dept).copied().unwrap_or("Operations")
            );
            let by = self.admin_or_owner();
            let when = at - self.rng.range(60, 600);
            self.op(out, when, Some(by), "USER", "Add", detail);
        }
    }

    fn storage_day(&mut self, out: &mut Out, date: NaiveDate) {
        if date.day() == 1 && matches!(date.month(), 1 | 4 | 7 | 10) {
            self.cleaned += (self.storage - self.cleaned) / 8;
        }
        let base = self.spec.allowance / 40;
        let noise = self.rng.range(0, 400) * 1_000_000;
        out.ds.add(StorageUsageDaily {
            account_id: self.id,
            day: date,
            usage_bytes: base + self.storage - self.cleaned + noise,
        });
    }

    /// The invoice of the month that ends on `last_day`, issued the next morning.
    fn invoice(&mut self, out: &mut Out, last_day: NaiveDate) {
        let following = add_days(last_day, 1);
        let Some(start) = last_day.with_day(1) else {
            return;
        };
        let issued = local_ts(self.tz, following, 6, 0) + self.rng.range(0, 3_600);
        if issued >= self.now {
            return;
        }
        let end_ts = local_ts(self.tz, following, 0, 0);
        let mut lines: Vec<(Option<usize>, String, i32, i64)> = Vec::new();
        let count = |f: &dyn Fn(&BMember) -> bool| -> Vec<i32> {
            let mut per = vec![0i32; DEPARTMENTS.len()];
            for m in self.members.iter().filter(|m| f(m)) {
                if let Some(c) = per.get_mut(m.dept) {
                    *c += 1;
                }
            }
            per
        };
        let licensed = count(&|m| m.licensed && m.created_at < end_ts);
        let webinar = count(&|m| m.webinar_host && m.created_at < end_ts);
        let phone = count(&|m| m.phone_user && m.created_at < end_ts);
        for (d, &n) in licensed.iter().enumerate() {
            if n > 0 {
                let dept = DEPARTMENTS.get(d).copied().unwrap_or("");
                lines.push((
                    Some(d),
                    format!("Business licences — {dept}"),
                    n,
                    i64::from(n) * self.spec.license_price_micros,
                ));
            }
        }
        for (d, &n) in webinar.iter().enumerate() {
            if n > 0 {
                lines.push((
                    Some(d),
                    "Webinars 500 add-on".to_owned(),
                    n,
                    i64::from(n) * 79_000_000,
                ));
            }
        }
        if let Some(plan) = self.spec.phone_plan {
            for (d, &n) in phone.iter().enumerate() {
                if n > 0 {
                    lines.push((
                        Some(d),
                        format!("Phone {plan} licences"),
                        n,
                        i64::from(n) * 10_000_000,
                    ));
                }
            }
        }
        lines.push((
            None,
            "Cloud recording storage add-on".to_owned(),
            0,
            40_000_000,
        ));
        let key = (start.year(), start.month());
        if let Some(&cost) = self.conference_costs.get(&key).filter(|c| **c > 0) {
            lines.push((None, "Audio conferencing usage".to_owned(), 0, cost));
        }
        if let Some(&cost) = self.phone_charges.get(&key).filter(|c| **c > 0) {
            lines.push((None, "Phone calls".to_owned(), 0, cost));
        }
        let amount: i64 = lines.iter().map(|l| l.3).sum();
        let tax = tax_of(amount, self.spec.tax_rate_per_100k);
        let taxes = allocate(tax, &lines.iter().map(|l| l.3).collect::<Vec<_>>());
        let id = out.ds.billing_invoice.next_id();
        let source = out.uid("billing_invoice", id, issued);
        let number = format!(
            "INV-{}{:02}-{:02}{:04}",
            start.year(),
            start.month(),
            self.id,
            id
        );
        let invoice = out.ds.add(BillingInvoice {
            account_id: self.id,
            source_id: source,
            invoice_number: number.clone(),
            period_start: start,
            period_end: last_day,
            issued_at: dt(issued),
            currency: "USD",
            amount_micros: amount,
            tax_micros: tax,
        });
        for ((d, description, licences, line_amount), line_tax) in lines.into_iter().zip(taxes) {
            out.ds.add(BillingLine {
                account_id: self.id,
                invoice_id: invoice,
                department_id: d.and_then(|d| self.dept_ids.get(d).copied()),
                description,
                licenses: licences,
                amount_micros: line_amount,
                tax_micros: line_tax,
            });
        }
        let paid = issued + self.rng.range(1, 4) * DAY;
        let owner = self.owner();
        self.op(
            out,
            paid,
            Some(owner),
            "BILLING",
            "Update",
            format!("Paid invoice {number} by card ending 4242"),
        );
    }

    /// Meetings and webinars scheduled in the next four weeks (no session yet).
    fn upcoming(&mut self, out: &mut Out) -> Result<(), DbErr> {
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
fn occurs(cadence: Cadence, date: NaiveDate) -> bool {
    match cadence {
        Cadence::Weekdays => !is_weekend(date),
        Cadence::Weekly(w) => date.weekday() == w,
        Cadence::Biweekly(w) => {
            date.weekday() == w && (i64::from(date.num_days_from_ce()) / 7) % 2 == 0
        }
        Cadence::Monthly(w, nth) => {
            NaiveDate::from_weekday_of_month_opt(date.year(), date.month(), w, nth) == Some(date)
        }
        Cadence::NoFixedTime(_) => false,
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

    #[test]
    fn samples_are_distinct_and_in_range() {
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
    fn meeting_numbers_are_distinct_and_eleven_digits() {
        let mut seen = HashSet::new();
        for id in 1..200_000 {
            let n = meeting_number(42, id);
            assert!((10_000_000_000..100_000_000_000).contains(&n), "{n}");
            assert!(seen.insert(n));
        }
    }

    #[test]
    fn cadences() {
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
    fn window_is_calendar_months() {
        let now = d_ts(2026, 11, 28);
        assert_eq!(window_start(now, 12), d_ts(2025, 11, 28));
        assert_eq!(window_start(now, 2), d_ts(2026, 9, 28));
    }

    fn d_ts(y: i32, m: u32, d: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or_default()
    }

    /// Every row of a small run, in memory.
    fn run(users: u32, months: u32, seed: u64) -> (Dataset, GenStats, usize) {
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
    fn small_runs_are_deterministic_and_scale() {
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
    fn chunks_stay_small() {
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
    fn a_refusing_sink_stops_the_generator() {
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
