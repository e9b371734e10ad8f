//! The benchmark's world: the demo's shape at any size, drawn as a spec for the same generator.
//!
//! Two accounts: **Bench Corp** (`bench.example`, BUSINESS, Europe/Paris, billing reports,
//! webinars, phone system) with the requested number of users, and **Partner Ltd**
//! (`partner.example`, America/New_York) with twelve, so tenant scoping is exercised.
//!
//! Users come in teams of fifteen; teams belong to departments. A few *busy* hosts (one in a
//! hundred) run about ten short meetings a working day, regular hosts one or two, light hosts a
//! couple a month; others only join, a few never do anything. Recurring series (daily
//! stand-ups, weekly team meetings, biweekly 1:1s, monthly department and company all-hands,
//! monthly webinars, customer bridges with no fixed time) and hand-placed meetings (webinars
//! with hundreds of registrants, meetings that never started, were cancelled or deleted) are
//! drawn here; the generator adds the random one-off meetings, calibrated so that the account
//! holds about [`SESSIONS_PER_USER_YEAR`] sessions per user, with about ten join rows each.

use std::{borrow::Cow, collections::HashSet};

use chrono::Weekday::{self, *};
use sea_orm::DbErr;

use crate::seed::{
    generator::{self, groups, DEVICES},
    names::{self, COMPANIES, FIRST_NAMES, LAST_NAMES},
    rng::Rng,
    spec::{
        bridge, custom_role, one_off, series, user, AccountSpec, Aud, Cadence, MeetingSpec,
        Profile::*, Rates, RoleSpec, UserSpec,
    },
    table::Dataset,
};

const OPS: Option<&str> = Some("Operations");

/// Sessions per user per twelve months the calibration aims at.
pub(crate) const SESSIONS_PER_USER_YEAR: f64 = 100.0;
/// Users per team.
const TEAM: usize = 15;

/// Department names, in the order teams are assigned to them.
#[rustfmt::skip]
const DEPARTMENTS: [&str; 10] = [
    "Sales", "Engineering", "Support", "Marketing", "Customer Success", "Product", "Operations",
    "Finance", "People", "Legal",
];

const ROLES: [RoleSpec; 3] = [
    custom_role("Analyst", true, false, false),
    custom_role("Auditor", false, true, false),
    custom_role("Billing admin", false, false, true),
];

/// The bench's rates: a little more rejoining, fewer poll answers and support sessions than
/// the demo's, bigger meetings, fewer phone calls.
#[rustfmt::skip]
const BENCH_RATES: Rates = Rates {
    meeting_rejoin_pct: 10, webinar_phone_pct: 4, poll_respondent_pct: 61, support_pct: 26,
    admin_pct: 70, guests: 5, group: (8, 26), instants: 0.3, phone_calls: 0.41, sign_ins: 0.96,
    admin_changes: 0, time_ordered_ids: true,
};

/// What one run generates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    pub(crate) now: i64,
    pub(crate) seed: u64,
    pub(crate) users: u32,
    pub(crate) months: u32,
}

/// Counts the tables do not tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GenStats {
    pub(crate) accounts: u64,
    pub(crate) webinars: u64,
    pub(crate) heavy_hosts: u64,
}

/// One account's settings, before its people are drawn.
struct Place {
    home: (&'static str, &'static str),
    away: [(&'static str, &'static str); 3],
}

/// Generates the whole data set, handing it to `sink` a chunk at a time; stops with an error
/// when `sink` returns false (the writer gave up).
pub(crate) fn generate(
    p: Params,
    sink: &mut dyn FnMut(Dataset) -> bool,
) -> Result<GenStats, DbErr> {
    let accounts = [bench_corp(&p), partner(&p)];
    let webinars = generator::generate(p.seed, p.now, &accounts, Some(sink))?.webinars;
    let users = accounts.iter().flat_map(|a| &a.users);
    Ok(GenStats {
        accounts: accounts.len() as u64,
        webinars,
        heavy_hosts: users.filter(|u| u.profile == Busy).count() as u64,
    })
}

/// Bench Corp's settings, which Partner Ltd's start from.
#[rustfmt::skip]
fn settings(p: &Params) -> AccountSpec {
    AccountSpec {
        name: "Bench Corp", platform_id: "bench-corp", domain: "bench.example", plan: "BUSINESS",
        time_zone: "Europe/Paris", billing_reports_enabled: true, webinar_addon: true,
        phone_plan: Some("Pro"),
        // 2 TiB.
        cloud_storage_allowance_bytes: 2_199_023_255_552, created_days_ago: 2000, cloud: true,
        max_minutes: None, months: p.months, activity: 1.0,
        sessions_per_user_year: Some(SESSIONS_PER_USER_YEAR), prospects: 0,
        // Without 26 December.
        holidays: &names::FRENCH_HOLIDAYS[..8], quiet_month: None, rooms: &names::ROOMS_PARIS,
        office_net: "198.51.100", license_price_micros: 21_990_000, tax_rate_per_100k: 20_000,
        departments: &DEPARTMENTS, roles: &ROLES, rates: BENCH_RATES,
        users: Vec::new(), meetings: Vec::new(),
    }
}

#[rustfmt::skip]
fn bench_corp(p: &Params) -> AccountSpec {
    let named = vec![
        user("Claire", "Moreau", OPS, Regular, 1900, "Mac").local("owner").role("OWNER"),
        user("Hugo", "Bernard", OPS, Regular, 1900, "Windows").local("admin").role("ADMIN"),
        user("Nora", "Petit", Some("Finance"), Light, 1900, "Web").local("analyst")
            .custom("Analyst"),
        user("Paul", "Girard", Some("Legal"), JoinOnly, 1900, "Windows").local("auditor")
            .custom("Auditor"),
    ];
    let place = Place {
        home: ("Paris, FR", "FR"),
        away: [("Lyon, FR", "FR"), ("London, GB", "GB"), ("Berlin, DE", "DE")],
    };
    populate(settings(p), p, named, p.users as usize, &place)
}

#[rustfmt::skip]
fn partner(p: &Params) -> AccountSpec {
    let spec = AccountSpec {
        name: "Partner Ltd", platform_id: "partner-ltd", domain: "partner.example",
        time_zone: "America/New_York", phone_plan: None,
        // 500 GiB.
        cloud_storage_allowance_bytes: 536_870_912_000,
        holidays: &[(1, 1), (5, 25), (7, 4), (9, 7), (11, 26), (12, 25)],
        rooms: &names::ROOMS_NEW_YORK, office_net: "203.0.113",
        license_price_micros: 19_990_000, tax_rate_per_100k: 8_875, roles: &ROLES[..1],
        ..settings(p)
    };
    let named = vec![
        user("Grace", "Hopper", OPS, Regular, 1900, "Mac").local("owner").role("OWNER"),
        user("Alan", "Kay", OPS, Light, 1900, "Windows").local("admin").role("ADMIN"),
    ];
    let place = Place {
        home: ("New York, US", "US"),
        away: [("Boston, US", "US"), ("Chicago, US", "US"), ("Toronto, CA", "CA")],
    };
    populate(spec, p, named, 12, &place)
}

/// `spec` with `users` people (`named` first), their series and hand-placed meetings.
fn populate(
    mut spec: AccountSpec,
    p: &Params,
    named: Vec<UserSpec>,
    users: usize,
    place: &Place,
) -> AccountSpec {
    let mut rng = Rng::derive(p.seed, &format!("population of {}", spec.domain));
    let window_days = i64::from(p.months) * 365 / 12;
    let years = window_days as f64 / 365.0;
    let n = users.max(named.len());
    spec.users = named;
    let generated = n - spec.users.len();
    let busy_count = (generated / 100).max(usize::from(generated > 0));
    let mut order: Vec<usize> = (0..generated).collect();
    rng.shuffle(&mut order);
    let busy: HashSet<usize> = order.into_iter().take(busy_count).collect();
    for g in 0..generated {
        let team = g / TEAM;
        let profile = if busy.contains(&g) {
            Busy
        } else if g == 0 {
            // Somebody hosts webinars, however small the account.
            Regular
        } else {
            match rng.below(100) {
                0..35 => Regular,
                35..71 => Light,
                71..93 => JoinOnly,
                _ => Dormant,
            }
        };
        let created_days_ago = if rng.pct(12) {
            // Joined during the window.
            rng.range(2, window_days - 1)
        } else {
            window_days + rng.range(30, 1_500)
        };
        let dept = DEPARTMENTS.get(team % DEPARTMENTS.len()).copied();
        let mut u = user(
            rng.one_of(&FIRST_NAMES),
            rng.one_of(&LAST_NAMES),
            dept,
            profile,
            created_days_ago,
            rng.choose(&DEVICES),
        );
        (u.location, u.country) = if rng.pct(80) {
            place.home
        } else {
            rng.one_of(&place.away)
        };
        u.number = Some(g + 1);
        u.team = Some(team);
        if g % 500 == 7 {
            u.role = "ADMIN";
        }
        u.licensed = match profile {
            JoinOnly => rng.pct(50),
            Dormant => rng.pct(30),
            _ => true,
        } || u.role != "MEMBER";
        let hosts_much = matches!(profile, Busy | Regular);
        u.webinars = hosts_much
            && (dept == Some("Marketing") || (dept == Some("Product") && g % 3 == 0) || g == 0);
        spec.users.push(u);
    }
    // Outside people: enough for the largest webinars, more in a larger account.
    spec.prospects = 3_000 + 3 * n;
    spec.rates.admin_changes = ((0.5 + n as f64 / 300.0) * 235.0 * years / 2.78) as u32;
    let people = People::of(&spec);
    spec.meetings = draw_series(&mut rng, &spec, &people, window_days);
    let one_offs = draw_one_offs(&mut rng, &spec, &people, window_days);
    spec.meetings.extend(one_offs);
    spec
}

/// The drawn users' e-mail local parts, and who is in which team and department.
struct People {
    locals: Vec<String>,
    teams: Vec<Vec<usize>>,
    depts: Vec<Vec<usize>>,
}

impl People {
    fn of(spec: &AccountSpec) -> Self {
        let (depts, teams) = groups(&spec.users, spec.departments);
        let locals = spec.users.iter().map(UserSpec::local_part).collect();
        Self {
            locals,
            teams,
            depts,
        }
    }

    fn local(&self, i: usize) -> String {
        self.locals.get(i).cloned().unwrap_or_default()
    }

    /// The members' local parts, separated by spaces.
    fn names(&self, members: &[usize]) -> Cow<'static, str> {
        let list: Vec<String> = members.iter().map(|&i| self.local(i)).collect();
        Cow::Owned(list.join(" "))
    }

    /// The others in `member`'s team.
    fn mates(&self, spec: &AccountSpec, member: usize) -> Vec<usize> {
        spec.users
            .get(member)
            .and_then(|u| u.team)
            .and_then(|t| self.teams.get(t))
            .map(|t| t.iter().copied().filter(|&j| j != member).collect())
            .unwrap_or_default()
    }
}

const WEEKDAYS: [Weekday; 5] = [Mon, Tue, Wed, Thu, Fri];

/// Members who run meetings of their team or department: the busy and regular hosts.
fn leads(spec: &AccountSpec, members: &[usize]) -> Option<usize> {
    members.iter().copied().find(|&i| {
        spec.users
            .get(i)
            .is_some_and(|u| matches!(u.profile, Busy | Regular))
    })
}

/// The account's recurring meetings: company and department all-hands, team meetings and
/// stand-ups, 1:1s and working groups, the busy hosts' customer syncs and escalation bridges,
/// and monthly webinars; created before or during the window, some ended and deleted since.
fn draw_series(
    rng: &mut Rng,
    spec: &AccountSpec,
    people: &People,
    window_days: i64,
) -> Vec<MeetingSpec> {
    let (teams, depts) = (&people.teams, &people.depts);
    let local = |i: usize| people.local(i);
    let mut out = vec![series("owner", Cadence::Monthly(Thu, 1), (16, 0), 60)
        .topic(format!("{} all-hands", spec.name))
        .to(Aud::AllHands)
        .extras(100, 60, 100)];
    for (d, members) in depts.iter().enumerate() {
        let (Some(lead), true) = (leads(spec, members), members.len() >= 6) else {
            continue;
        };
        let name = DEPARTMENTS.get(d).copied().unwrap_or("Team");
        let monthly = Cadence::Monthly(rng.one_of(&WEEKDAYS), 2);
        out.push(
            series(local(lead), monthly, (11, 0), 45)
                .topic(format!("{name} monthly all-hands"))
                .to(Aud::Dept(name))
                .extras(40, 20, 60),
        );
    }
    for (t, members) in teams.iter().enumerate() {
        let Some(lead) = leads(spec, members) else {
            continue;
        };
        let dept = spec.users.get(lead).and_then(|u| u.dept).unwrap_or("Team");
        let at = (rng.range(9, 16) as u32, rng.one_of(&[0, 30]));
        let weekly = Cadence::Weekly(rng.one_of(&WEEKDAYS));
        out.push(
            series(local(lead), weekly, at, rng.one_of(&[30, 45, 60]))
                .topic(format!("{dept} team {} weekly", t + 1))
                .to(Aud::Team(t))
                .extras(10, 5, 0),
        );
        if rng.pct(55) {
            let at = (9, rng.one_of(&[15, 30, 45]));
            out.push(
                series(local(lead), Cadence::Weekdays, at, 15)
                    .topic(format!("{dept} team {} stand-up", t + 1))
                    .to(Aud::Team(t)),
            );
        }
    }
    for (i, u) in spec.users.iter().enumerate() {
        if !matches!(u.profile, Busy | Regular) {
            continue;
        }
        let mates = people.mates(spec, i);
        if rng.pct(40) {
            if let Some(&o) = rng.pick(&mates) {
                let other = spec.users.get(o).map_or("", |u| u.first);
                let biweekly = Cadence::Biweekly(rng.one_of(&WEEKDAYS));
                out.push(
                    series(local(i), biweekly, (rng.range(10, 17) as u32, 0), 30)
                        .topic(format!("1:1 {} / {other}", u.first))
                        .to(Aud::OneOnOne(Cow::Owned(local(o)))),
                );
            }
        }
        if rng.pct(20) && mates.len() >= 3 {
            let mut group = mates.clone();
            rng.shuffle(&mut group);
            group.truncate(rng.range(3, 5) as usize);
            let topic = rng
                .pick(names::internal_topics(u.dept.unwrap_or("")))
                .copied()
                .unwrap_or("Sync")
                .replace("{n}", &rng.range(100, 999).to_string());
            let weekly = Cadence::Weekly(rng.one_of(&WEEKDAYS));
            out.push(
                series(local(i), weekly, (rng.range(9, 17) as u32, 30), 45)
                    .topic(format!("{topic} (weekly)"))
                    .to(Aud::Group(people.names(&group)))
                    .extras(5, 0, 0),
            );
        }
        if u.profile == Busy {
            let company = rng.below(COMPANIES.len() as u64) as usize;
            let name = COMPANIES.get(company).map_or("", |c| c.name);
            let weekly = Cadence::Weekly(rng.one_of(&WEEKDAYS));
            out.push(
                series(local(i), weekly, (rng.range(10, 17) as u32, 0), 45)
                    .topic(format!("Customer sync — {name}"))
                    .to(Aud::External(Some(company)))
                    .extras(10, 0, 0),
            );
            out.push(
                series(local(i), bridge(1.5, 0), (0, 0), 40)
                    .topic("Escalation bridge")
                    .to(Aud::External(Some((company + 1) % COMPANIES.len()))),
            );
        }
        if u.webinars && rng.pct(30) {
            #[rustfmt::skip]
            let title = rng.one_of(&[
                "product tour", "customer onboarding webinar", "monthly release walkthrough",
                "office hours (live)",
            ]);
            let day = rng.one_of(&[Tue, Wed, Thu]);
            let registrants = rng.range(80, 300) as u32 * spec.months * 3 / 4;
            let panelists = people.names(mates.get(..2.min(mates.len())).unwrap_or(&[]));
            out.push(
                series(local(i), Cadence::Monthly(day, 2), (16, 0), 60)
                    .topic(format!("{} {title}", spec.name))
                    .to(Aud::Webinar(panelists))
                    .webinar(registrants)
                    .extras(100, 60, 80),
            );
        }
    }
    for s in &mut out {
        let since = if rng.pct(60) {
            window_days + rng.range(30, 300)
        } else {
            window_days - rng.range(0, window_days * 3 / 4)
        };
        let until = if rng.pct(12) && since > 31 {
            rng.range(1, since - 30)
        } else {
            0
        };
        *s = s.clone().between(since, until, until > 0 && rng.pct(30));
    }
    out
}

/// Hand-placed meetings: webinars of the webinar hosts (most with registration, some still to
/// come), and scheduled meetings that never started, were cancelled, or were deleted after
/// they took place.
fn draw_one_offs(
    rng: &mut Rng,
    spec: &AccountSpec,
    people: &People,
    window_days: i64,
) -> Vec<MeetingSpec> {
    let years = window_days as f64 / 365.0;
    let local = |i: usize| people.local(i);
    let mut out = Vec::new();
    for (i, u) in spec.users.iter().enumerate() {
        if !u.webinars {
            continue;
        }
        for _ in 0..rng.poisson(WEBINARS_PER_HOST_YEAR * years) {
            let registrants = if rng.pct(85) {
                match rng.below(10) {
                    0..6 => rng.range(80, 200),
                    6..9 => rng.range(200, 400),
                    _ => rng.range(400, 800),
                }
            } else {
                0
            } as u32;
            #[rustfmt::skip]
            let topic = rng.one_of(&[
                "Customer success stories", "Security & compliance deep dive",
                "What shipped this quarter", "Reporting best practices",
                "Live Q&A with the product team", "Partner enablement", "Getting started",
                "Industry trends",
            ]);
            let day = rng.range(1 - window_days, 28);
            let at = (rng.range(9, 17) as u32, 0);
            let minutes = rng.one_of(&[45, 60, 60, 90]);
            let mut panelists = people.mates(spec, i);
            rng.shuffle(&mut panelists);
            panelists.truncate(rng.range(0, 2) as usize);
            out.push(
                one_off(local(i), day, at, minutes)
                    .topic(format!("{topic} #{}", rng.range(1_000, 99_999)))
                    .to(Aud::Webinar(people.names(&panelists)))
                    .webinar(registrants)
                    .extras(70, 40, 60),
            );
        }
    }
    // Scheduled meetings that go wrong, per user and year: never started, cancelled before
    // they start, deleted after they took place.
    let hosts: Vec<usize> = (0..spec.users.len())
        .filter(|&i| spec.users.get(i).is_some_and(|u| u.profile.hosts()))
        .collect();
    let users = spec.users.len() as f64;
    for (kind, per_user_year) in [(0, 0.8), (1, 0.54), (2, 0.39)] {
        for _ in 0..(per_user_year * users * years).round() as usize {
            let Some(&host) = rng.pick(&hosts) else {
                break;
            };
            let day = rng.range(1 - window_days, if kind == 1 { 28 } else { -1 });
            let at = (rng.range(9, 17) as u32, rng.one_of(&[0, 30]));
            let audience = match spec.users.get(host).and_then(|u| u.team) {
                Some(t) if rng.pct(50) => Aud::Team(t),
                _ => Aud::External(Some(rng.below(COMPANIES.len() as u64) as usize)),
            };
            let m = one_off(local(host), day, at, rng.one_of(&[30, 45, 60]))
                .topic(rng.one_of(&["Planning", "Review", "Kick-off", "Sync"]))
                .to(audience);
            out.push(match kind {
                0 => m.not_held(),
                // Cancelled some days before it was due.
                1 => m.not_held().deleted((rng.range(1, 10) - day).max(1)),
                _ => m.deleted(rng.range(0, -day - 1)),
            });
        }
    }
    out
}

/// One-off webinars a webinar host runs in twelve months.
const WEBINARS_PER_HOST_YEAR: f64 = 10.5;

#[cfg(test)]
mod tests {
    use super::*;

    /// Two months before 2026-11-28 10:00 UTC.
    fn params(users: u32) -> Params {
        let now = 1_795_860_000;
        Params {
            now,
            seed: 1,
            users,
            months: 2,
        }
    }

    #[test]
    fn chunks_stay_small() {
        let mut biggest = 0;
        let r = generate(params(60), &mut |c: Dataset| {
            biggest = biggest.max(c.row_count());
            true
        });
        assert!(r.is_ok());
        // A chunk ends at the first meeting boundary past CHUNK_ROWS.
        assert!(biggest < 13_000, "{biggest}");
    }

    #[test]
    fn a_refusing_sink_stops_the_generator() {
        let mut calls = 0;
        let r = generate(params(20), &mut |_| {
            calls += 1;
            false
        });
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
