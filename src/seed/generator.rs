//! One account's generator: its users, outside people and the plan of its meetings. The
//! emission of meetings with everything under them is in `meetings.rs`; storage, phone system,
//! billing and logs are in `admin.rs`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use sea_orm::DbErr;

use super::{
    names::{self, COMPANIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, MAIL_DOMAINS},
    rng::{uuid_like, Rng},
    session::{self, Person, SourceIds, Tenant, Tuning},
    spec::{AccountSpec, Aud, Cadence, Profile, UserSpec},
    table::{Account, AppUser, CustomRole, Dataset, Department, SignInEvent},
};

pub(crate) const DAY: i64 = 86_400;
pub(crate) const HOUR: i64 = 3_600;

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
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
            .unwrap_or(date)
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(date)
    }
}

pub(crate) fn monday_of(date: NaiveDate) -> NaiveDate {
    add_days(date, -i64::from(date.weekday().num_days_from_monday()))
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) id: i64,
    pub(crate) spec: &'static UserSpec,
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
#[derive(Debug, Clone)]
pub(crate) enum Audience {
    Team(usize),
    AllHands,
    OneOnOne(usize),
    Group(Vec<usize>),
    External {
        company: Option<usize>,
        colleagues: Vec<usize>,
    },
    Webinar {
        panelists: Vec<usize>,
    },
}

/// A meeting or webinar and its sessions, before it becomes rows.
#[derive(Debug, Clone)]
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
pub(crate) struct Shared {
    pub(crate) ds: Dataset,
    pub(crate) seed: u64,
    pub(crate) now: i64,
    pub(crate) meeting_numbers: BTreeSet<i64>,
}

impl Shared {
    /// The source id of row `id` of `table`: uuid-like, unique per table.
    pub(crate) fn uid(&self, table: &str, id: i64) -> String {
        uuid_like(self.seed, table, id)
    }
}

pub(crate) struct AccountGen<'a> {
    pub(crate) sh: &'a mut Shared,
    pub(crate) spec: &'static AccountSpec,
    pub(crate) tz: Tz,
    pub(crate) now: i64,
    /// Twelve months before `now`: nothing happens earlier (except creations).
    pub(crate) window_start: i64,
    pub(crate) rng: Rng,
    pub(crate) account_id: i64,
    pub(crate) dept_ids: Vec<i64>,
    pub(crate) members: Vec<Member>,
    pub(crate) prospects: Vec<Prospect>,
    /// Prospect indexes per company.
    pub(crate) by_company: Vec<Vec<usize>>,
    busy: Vec<Vec<(i64, i64)>>,
    vacations: Vec<Vec<NaiveDate>>,
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

/// The demo's rates; the bench's differ a little (see there).
const DEMO_TUNING: Tuning = Tuning {
    meeting_rejoin_pct: 8,
    webinar_phone_pct: 5,
    poll_respondent_pct: 75,
    support_pct: 60,
    admin_pct: 50,
};

fn err(msg: String) -> DbErr {
    DbErr::Custom(format!("demo data: {msg}"))
}

const DEVICES: [&str; 5] = ["Windows", "Mac", "Web", "iOS", "Android"];
const DEVICE_WEIGHTS: [u32; 5] = [40, 28, 14, 10, 8];
const INDEPENDENT_PLACES: [(&str, &str); 6] = [
    ("Paris, FR", "FR"),
    ("London, GB", "GB"),
    ("New York, US", "US"),
    ("Berlin, DE", "DE"),
    ("Montreal, CA", "CA"),
    ("Brussels, BE", "BE"),
];

impl<'a> AccountGen<'a> {
    pub(crate) fn new(sh: &'a mut Shared, spec: &'static AccountSpec) -> Result<Self, DbErr> {
        let tz: Tz = spec
            .time_zone
            .parse()
            .map_err(|_| err(format!("unknown time zone {}", spec.time_zone)))?;
        let now = sh.now;
        let rng = Rng::derive(sh.seed, spec.domain);
        Ok(Self {
            sh,
            spec,
            tz,
            now,
            window_start: now - 365 * DAY,
            rng,
            account_id: 0,
            dept_ids: Vec::new(),
            members: Vec::new(),
            prospects: Vec::new(),
            by_company: vec![Vec::new(); COMPANIES.len()],
            busy: Vec::new(),
            vacations: Vec::new(),
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
        self.plan_random(&mut plans);
        // Ids follow creation time, as they would on the platform.
        plans.sort_by_key(|p| p.created_at);
        for plan in &plans {
            self.emit(plan);
        }
        self.storage_usage();
        self.phone_system();
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

    fn member_index(&self, local: &str) -> Result<usize, DbErr> {
        self.members
            .iter()
            .position(|m| m.spec.local == local)
            .ok_or_else(|| err(format!("no user {local} in {}", self.spec.name)))
    }

    fn dept_index(&self, name: &str) -> Result<usize, DbErr> {
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

    /// The owner (index 0 by construction) or an admin.
    pub(crate) fn admin_or_owner(&mut self) -> usize {
        let owner = self.owner();
        session::admin_or_owner(&mut self.rng, &self.admins, owner, DEMO_TUNING.admin_pct)
    }

    pub(crate) fn tenant(&self) -> Tenant {
        Tenant {
            account_id: self.account_id,
            domain: self.spec.domain,
            tz: self.tz,
            now: self.now,
            dial_in: self.spec.plan != "BASIC",
            ids: SourceIds::Random(self.sh.seed),
            tuning: DEMO_TUNING,
        }
    }

    /// Has a phone-system licence: licensed owners and licensed people in customer-facing
    /// departments.
    pub(crate) fn is_phone_user(m: &Member) -> bool {
        m.spec.licensed
            && (m.spec.role == "OWNER"
                || matches!(
                    m.spec.dept,
                    Some("Sales" | "Support" | "Customer Success" | "Operations")
                ))
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
        for d in spec.departments {
            let id = self.sh.ds.add(Department {
                account_id: self.account_id,
                name: d,
            });
            self.dept_ids.push(id);
        }
        let mut role_ids = Vec::new();
        for r in spec.roles {
            let id = self.sh.ds.add(CustomRole {
                account_id: self.account_id,
                name: r.name,
                usage_reports: r.usage_reports,
                user_activity_reports: r.user_activity_reports,
                billing_reports: r.billing_reports,
            });
            role_ids.push((r.name, id));
        }

        let first_id = self.sh.ds.app_user.next_id();
        for (i, u) in spec.users.iter().enumerate() {
            let id = first_id + i as i64;
            let email = format!("{}@{}", u.local, spec.domain);
            let day = local_date(self.tz, self.now - u.created_days_ago * DAY);
            let created_at = self
                .time_on(day, 9, 18)
                .max(created + 60)
                .min(self.now - HOUR);
            let quiet_from = if u.quiet_days > 0 {
                self.now - u.quiet_days * DAY
            } else {
                i64::MAX
            };
            let dept = match u.dept {
                Some(name) => Some(self.dept_index(name)?),
                None => None,
            };
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
            self.members.push(Member {
                id,
                spec: u,
                email,
                dept,
                created_at,
                quiet_from,
                home_ip: format!("{home_net}.{}", 20 + (n * 7) % 230),
                extension: names::phone_number(u.country, 3150 + n),
                person,
            });
            // Two weeks of holiday a year, plus one in the quiet month.
            let mut weeks = Vec::new();
            for _ in 0..2 {
                let d = add_days(
                    local_date(self.tz, self.window_start),
                    self.rng.range(20, 340),
                );
                weeks.push(monday_of(d));
            }
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
            let source_id = self.sh.uid("app_user", m.id);
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
        }
        Ok(())
    }

    /// SIGN_IN/SIGN_OUT pairs of member `i`; returns the last sign-in and its client version.
    fn sign_ins(&mut self, i: usize) -> (Option<i64>, Option<&'static str>) {
        let Some(m) = self.members.get(i).cloned() else {
            return (None, None);
        };
        let rate = match m.spec.profile {
            Profile::Heavy | Profile::Regular => 1.6,
            Profile::Light | Profile::JoinOnly => 1.1,
            Profile::Dormant => 0.5,
        };
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
            self.sign_in_row(m.id, t, "SIGN_IN", &ip, client, version);
            last_in = Some((t, version));
            let out = if self.rng.pct(70) {
                let day = local_date(self.tz, t);
                self.time_on(day, 16, 20)
            } else {
                t + self.rng.range(1, 3) * DAY + self.rng.range(0, 8 * HOUR)
            };
            let out = out.min(next - 600);
            if out > t && out < self.now.min(m.quiet_from.saturating_add(DAY)) {
                self.sign_in_row(m.id, out, "SIGN_OUT", &ip, client, version);
            }
        }
        match last_in {
            Some((t, v)) => (Some(t), Some(v)),
            None => (None, None),
        }
    }

    fn sign_in_row(
        &mut self,
        user: i64,
        at: i64,
        kind: &'static str,
        ip: &str,
        client: &'static str,
        version: &'static str,
    ) {
        let id = self.sh.ds.sign_in_event.next_id();
        let source = self.sh.uid("sign_in_event", id);
        self.sh.ds.add(SignInEvent {
            account_id: self.account_id,
            source_id: source,
            user_id: user,
            occurred_at: dt(at),
            event_type: kind,
            ip_address: ip.to_owned(),
            client_type: client,
            version,
        });
    }

    fn make_prospects(&mut self) {
        let mut used = BTreeSet::new();
        for i in 0..self.spec.prospects {
            let first = self.rng.one_of(&FIRST_NAMES);
            let last = self.rng.one_of(&LAST_NAMES);
            let company = if self.rng.pct(72) {
                Some(i % COMPANIES.len())
            } else {
                None
            };
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
            let device = DEVICES
                .get(self.rng.weighted(&DEVICE_WEIGHTS))
                .copied()
                .unwrap_or("Web");
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
            if let Some(c) = company {
                if let Some(list) = self.by_company.get_mut(c) {
                    list.push(i);
                }
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

    // ---------------------------------------------------------------- planning

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

    fn resolve(&mut self, aud: Aud, host: usize) -> Result<Audience, DbErr> {
        Ok(match aud {
            Aud::Team(d) => Audience::Team(self.dept_index(d)?),
            Aud::AllHands => Audience::AllHands,
            Aud::OneOnOne(m) => Audience::OneOnOne(self.member_index(m)?),
            Aud::Group(list) => Audience::Group(
                list.iter()
                    .map(|m| self.member_index(m))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Aud::External(company) => {
                let colleagues = self.colleagues(host, 1);
                Audience::External {
                    company,
                    colleagues,
                }
            }
            Aud::Webinar(list) => Audience::Webinar {
                panelists: list
                    .iter()
                    .map(|m| self.member_index(m))
                    .collect::<Result<Vec<_>, _>>()?,
            },
        })
    }

    /// Up to `max` colleagues of `host` from the same department (others if none).
    fn colleagues(&mut self, host: usize, max: usize) -> Vec<usize> {
        let dept = self.members.get(host).and_then(|m| m.dept);
        let mut same: Vec<usize> = (0..self.members.len())
            .filter(|&i| {
                i != host
                    && self
                        .members
                        .get(i)
                        .is_some_and(|m| m.dept == dept && m.spec.profile != Profile::Dormant)
            })
            .collect();
        self.rng.shuffle(&mut same);
        same.truncate(max);
        same
    }

    fn plan_series(&mut self, plans: &mut Vec<Plan>) -> Result<(), DbErr> {
        for s in self.spec.series {
            let host = self.member_index(s.host)?;
            let host_created = self
                .members
                .get(host)
                .map_or(self.window_start, |m| m.created_at);
            let created_at = (self.now - s.since_days * DAY).max(host_created + DAY);
            let until = if s.until_days > 0 {
                self.now - s.until_days * DAY
            } else {
                self.now + 60 * DAY
            };
            let audience = self.resolve(s.audience, host)?;
            let first_day = local_date(self.tz, created_at.max(self.window_start - 31 * DAY));
            let last_day = local_date(self.tz, until);
            let no_fixed_time = matches!(s.cadence, Cadence::NoFixedTime { .. });

            // Occurrences on the calendar (the fixed ones), and the starts of held sessions.
            let mut occurrences = Vec::new();
            let mut day = first_day;
            let mut week_index = 0i64;
            while day <= last_day {
                let hit = match s.cadence {
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
            } = s.cadence
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
                let monthly = matches!(s.cadence, Cadence::Monthly(..));
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

            let scheduled_start = if no_fixed_time {
                None
            } else if s.until_days == 0 {
                occurrences
                    .iter()
                    .copied()
                    .find(|&t| t > self.now)
                    .or(occurrences.first().copied())
            } else {
                occurrences
                    .iter()
                    .copied()
                    .find(|&t| t >= created_at)
                    .or(occurrences.first().copied())
            };
            plans.push(Plan {
                host,
                webinar: s.webinar,
                meeting_type: if no_fixed_time {
                    "RECURRING_NO_FIXED_TIME"
                } else {
                    "RECURRING_FIXED"
                },
                topic: s.topic.to_owned(),
                scheduled_start,
                planned_minutes: if no_fixed_time {
                    None
                } else {
                    Some(s.minutes as i32)
                },
                registrants: s.registrants,
                created_at,
                deleted_at: s
                    .deleted
                    .then_some(until + 2 * HOUR)
                    .filter(|t| *t < self.now),
                support: self.dept_name(host) == "Support"
                    && matches!(audience, Audience::External { .. }),
                audience,
                sessions,
                recurring: true,
                record_pct: if self.spec.cloud { s.record_pct } else { 0 },
                poll_pct: s.poll_pct,
                qa_pct: s.qa_pct,
            });
        }
        Ok(())
    }

    fn plan_one_offs(&mut self, plans: &mut Vec<Plan>) -> Result<(), DbErr> {
        for o in self.spec.one_offs {
            let host = self.member_index(o.host)?;
            let host_created = self
                .members
                .get(host)
                .map_or(self.window_start, |m| m.created_at);
            let mut date = add_days(self.today(), o.day);
            while is_weekend(date) {
                date = add_days(date, if o.day < 0 { -1 } else { 1 });
            }
            let at = local_ts(self.tz, date, o.hour, o.minute);
            let no_fixed_time = o.meeting_type == "RECURRING_NO_FIXED_TIME";
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
            if o.held && !no_fixed_time {
                let start = at + self.rng.range(-60, 180);
                let end = start + self.actual_length(o.minutes);
                if end < self.now {
                    self.book(host, start, end);
                    sessions.push((start, end));
                }
            }
            let audience = self.resolve(o.audience, host)?;
            let deleted_at = o.deleted_days_ago.map(|d| {
                (self.now - d * DAY + self.rng.range(0, 6 * HOUR))
                    .max(created_at + HOUR)
                    .min(self.now - 60)
            });
            plans.push(Plan {
                host,
                webinar: o.webinar,
                meeting_type: o.meeting_type,
                topic: o.topic.to_owned(),
                scheduled_start: (!no_fixed_time).then_some(at),
                planned_minutes: (!no_fixed_time).then_some(o.minutes as i32),
                registrants: o.registrants,
                created_at,
                deleted_at,
                support: self.dept_name(host) == "Support"
                    && matches!(audience, Audience::External { .. }),
                audience,
                sessions,
                recurring: false,
                record_pct: if self.spec.cloud { o.record_pct } else { 0 },
                poll_pct: o.poll_pct,
                qa_pct: o.qa_pct,
            });
        }
        Ok(())
    }

    /// The bulk: one-off scheduled and instant meetings drawn from each host's profile,
    /// including scheduled ones in the coming weeks.
    fn plan_random(&mut self, plans: &mut Vec<Plan>) {
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
                let mut damp = self.spec.activity;
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
                        for _ in 0..self.rng.poisson(instant_rate * damp) {
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
        let minutes = self.rng.one_of(&[30, 30, 30, 45, 60, 60, 90]);
        let mut at = local_ts(self.tz, date, hour, minute);
        let (audience, topic, support) = self.random_audience(host);
        let host_created = self
            .members
            .get(host)
            .map_or(self.window_start, |m| m.created_at);
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
            host,
            webinar: false,
            meeting_type: "SCHEDULED",
            topic,
            scheduled_start: Some(at),
            planned_minutes: Some(minutes as i32),
            registrants: 0,
            created_at,
            deleted_at: None,
            audience,
            sessions,
            recurring: false,
            record_pct: if self.spec.cloud && minutes >= 45 {
                20
            } else {
                0
            },
            poll_pct: 3,
            qa_pct: 0,
            support,
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
        let (audience, topic) = if self.rng.pct(40) {
            let other = self.colleagues(host, 1);
            match other.first() {
                Some(&o) => (
                    Audience::OneOnOne(o),
                    format!(
                        "{}'s Zoom meeting",
                        self.members.get(host).map_or("Host", |m| m.spec.first)
                    ),
                ),
                None => (Audience::Group(Vec::new()), "Quick sync".to_owned()),
            }
        } else {
            let n = self.rng.range(1, 4) as usize;
            let group = self.colleagues(host, n);
            (
                Audience::Group(group),
                self.rng
                    .one_of(&["Quick sync", "Ad-hoc call", "Huddle", "Follow-up"])
                    .to_owned(),
            )
        };
        plans.push(Plan {
            host,
            webinar: false,
            meeting_type: "INSTANT",
            topic,
            scheduled_start: Some(start),
            planned_minutes: None,
            registrants: 0,
            created_at: start - self.rng.range(5, 120),
            deleted_at: None,
            audience,
            sessions: vec![(start, end)],
            recurring: false,
            record_pct: 0,
            poll_pct: 0,
            qa_pct: 0,
            support: false,
        });
    }

    /// Who a random one-off meeting of `host` invites, and its topic.
    fn random_audience(&mut self, host: usize) -> (Audience, String, bool) {
        let dept = self.dept_name(host);
        let external_pct = match dept {
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
        let size = self.rng.range(2, 6) as usize;
        let mut group = self.colleagues(host, size * 2 / 3 + 1);
        let mut others: Vec<usize> = (0..self.members.len())
            .filter(|&i| {
                i != host
                    && !group.contains(&i)
                    && self
                        .members
                        .get(i)
                        .is_some_and(|m| m.spec.profile != Profile::Dormant)
            })
            .collect();
        // Join-only people are invited more often.
        others.sort_by_key(|&i| {
            self.members
                .get(i)
                .map(|m| m.spec.profile != Profile::JoinOnly)
        });
        let extra = size.saturating_sub(group.len());
        let head = others.len().min(extra + 3);
        let mut pool: Vec<usize> = others.iter().copied().take(head).collect();
        self.rng.shuffle(&mut pool);
        group.extend(pool.into_iter().take(extra));
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

/// The newest client release at `t`.
pub(crate) fn client_version(t: i64, now: i64) -> &'static str {
    let mut version = names::CLIENT_RELEASES[0].0;
    for (v, days_ago) in names::CLIENT_RELEASES {
        if now - days_ago * DAY <= t {
            version = v;
        }
    }
    version
}
