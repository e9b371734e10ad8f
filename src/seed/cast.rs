//! The demo's three accounts, written out by hand: their settings, users, recurring meetings
//! and the hand-placed meetings that exercise edge cases (upcoming, never started, deleted, no
//! fixed time). The bulk of one-off meetings is drawn at random from each host's [`Profile`].

use std::borrow::Cow;

use chrono::Weekday::*;

use super::{
    names,
    spec::{
        bridge, custom_role, one_off, series, user, AccountSpec, Aud, Aud::*, Cadence::*,
        Profile::*, Rates, DEMO_RATES,
    },
};

fn group(names: &'static str) -> Aud {
    Aud::Group(Cow::Borrowed(names))
}

fn one_on_one(name: &'static str) -> Aud {
    Aud::OneOnOne(Cow::Borrowed(name))
}

fn webinar(panelists: &'static str) -> Aud {
    Aud::Webinar(Cow::Borrowed(panelists))
}

/// The demo's accounts, in the order their ids are given.
pub(crate) fn accounts() -> [AccountSpec; 3] {
    [demo_corp(), other_inc(), free_co()]
}

const ENG: Option<&str> = Some("Engineering");
const SALES: Option<&str> = Some("Sales");
const MKT: Option<&str> = Some("Marketing");
const SUPPORT: Option<&str> = Some("Support");
const FIN: Option<&str> = Some("Finance");
const OPS: Option<&str> = Some("Operations");
const CS: Option<&str> = Some("Customer Success");

/// Demo Corp: the account most reports are shown on.
#[rustfmt::skip]
fn demo_corp() -> AccountSpec {
    AccountSpec {
        name: "Demo Corp", platform_id: "demo-corp", domain: "demo.example", plan: "BUSINESS",
        time_zone: "Europe/Paris", billing_reports_enabled: true, webinar_addon: true,
        phone_plan: Some("Business"),
        // 1 TiB of cloud recording storage.
        cloud_storage_allowance_bytes: 1_099_511_627_776, created_days_ago: 1300, cloud: true,
        max_minutes: None, months: 12, activity: 1.0, sessions_per_user_year: None, prospects: 600,
        holidays: &names::FRENCH_HOLIDAYS, quiet_month: Some(8),
        rooms: &names::ROOMS_PARIS, office_net: "203.0.113",
        license_price_micros: 21_990_000, tax_rate_per_100k: 20_000,
        departments: &["Engineering", "Sales", "Marketing", "Support", "Finance"],
        roles: const { &[
            custom_role("Auditor", false, true, false), custom_role("Analyst", true, false, false),
            custom_role("Billing admin", false, false, true),
        ] },
        rates: DEMO_RATES,
        users: vec![
            user("Claire", "Moreau", None, Regular, 1300, "Mac").local("owner").role("OWNER"),
            user("Antoine", "Girard", ENG, Regular, 1250, "Windows").local("admin").role("ADMIN"),
            user("Lucas", "Bernard", SALES, Heavy, 900, "Mac").local("member").webinars(),
            user("Nadia", "Haddad", FIN, JoinOnly, 700, "Windows").local("auditor")
                .custom("Auditor").basic(),
            user("Hugo", "Laurent", MKT, Light, 650, "Web").local("analyst").custom("Analyst"),
            user("Sophie", "Rousseau", FIN, JoinOnly, 800, "Windows").local("billing")
                .custom("Billing admin").basic(),
            user("Emma", "Dubois", ENG, Heavy, 1100, "Mac"),
            user("Louis", "Martin", ENG, Regular, 1000, "Windows"),
            user("Chloé", "Lambert", MKT, Regular, 950, "Mac").webinars(),
            user("Jules", "Fontaine", SALES, Heavy, 880, "Windows"),
            user("Inès", "Garnier", SUPPORT, Regular, 860, "Windows"),
            user("Raphaël", "Chevalier", SUPPORT, Light, 820, "Android").at("Lyon, FR", "FR"),
            user("Léa", "Roux", SALES, Regular, 780, "iOS"),
            user("Arthur", "Blanc", ENG, Light, 760, "Windows").at("Lyon, FR", "FR"),
            user("Manon", "Faure", MKT, Light, 720, "Mac"),
            user("Gabriel", "Mercier", ENG, JoinOnly, 690, "Windows"),
            user("Zoé", "Perrin", SALES, Dormant, 640, "Web").basic().quiet(150),
            user("Adam", "Morel", SUPPORT, JoinOnly, 600, "Windows").basic(),
            user("Camille", "Simon", ENG, JoinOnly, 560, "Mac"),
            user("Sarah", "Cohen", SALES, Regular, 520, "Mac").at("Bordeaux, FR", "FR"),
            user("Priya", "Nair", ENG, Heavy, 480, "Mac"),
            user("James", "Walker", SALES, Light, 430, "Windows").at("London, GB", "GB"),
            user("Hélène", "Leroy", MKT, Regular, 160, "Mac"),
            user("Théo", "Michel", FIN, Dormant, 75, "Windows").basic(),
            user("Nathan", "David", ENG, JoinOnly, 40, "Web"),
            user("Yuki", "Tanaka", SUPPORT, Dormant, 6, "Mac").basic().quiet(6),
            user("Marc", "Petit", None, JoinOnly, 300, "Windows").basic(),
        ],
        meetings: vec![
            series("emma.dubois", Weekdays, (9, 45), 15).topic("Platform team daily stand-up")
                .to(Dept("Engineering")),
            series("louis.martin", Weekly(Mon), (10, 0), 60).topic("Engineering weekly sync")
                .to(Dept("Engineering")).extras(10, 0, 0),
            series("jules.fontaine", Weekly(Tue), (9, 30), 45).topic("Sales pipeline review")
                .to(Dept("Sales")),
            series("chloe.lambert", Weekly(Wed), (9, 30), 30).topic("Marketing weekly")
                .to(Dept("Marketing")),
            series("ines.garnier", Weekly(Thu), (14, 0), 45).topic("Support team weekly")
                .to(Dept("Support")),
            series("owner", Weekly(Mon), (17, 0), 45).topic("Leadership weekly")
                .to(group("admin member jules.fontaine chloe.lambert ines.garnier emma.dubois")),
            series("owner", Monthly(Thu, 1), (16, 0), 60).topic("Monthly all-hands").to(AllHands)
                .extras(100, 70, 100),
            series("owner", Monthly(Tue, 1), (11, 0), 60).topic("Finance monthly close")
                .to(Dept("Finance")),
            series("member", Weekly(Wed), (16, 0), 30).topic("Acme weekly check-in")
                .to(External(Some(0))).extras(20, 0, 0),
            series("member", Biweekly(Fri), (11, 0), 30).topic("1:1 Lucas / Jules")
                .to(one_on_one("jules.fontaine")),
            series("priya.nair", Biweekly(Thu), (15, 0), 60).topic("Architecture review")
                .to(group("emma.dubois louis.martin arthur.blanc gabriel.mercier camille.simon"))
                .extras(40, 0, 0),
            series("admin", Biweekly(Tue), (14, 0), 30).topic("IT & security office hours")
                .to(group("marc.petit adam.morel auditor billing nathan.david")),
            series("sarah.cohen", Monthly(Tue, 3), (15, 0), 45).topic("Channel partners sync")
                .to(External(Some(1))),
            series("helene.leroy", Weekly(Mon), (14, 0), 30).topic("Content calendar review")
                .to(Dept("Marketing")).between(150, 0, false),
            series("arthur.blanc", Weekly(Thu), (11, 0), 45).topic("Q1 migration task force")
                .to(group("emma.dubois priya.nair gabriel.mercier camille.simon"))
                .between(330, 200, true),
            series("member", Monthly(Tue, 1), (16, 0), 45).topic("Demo Corp product tour")
                .to(webinar("jules.fontaine")).webinar(320).extras(100, 50, 80),
            series("member", bridge(0.5, 0), (0, 0), 40).topic("Deal room").to(External(None)),
            series("ines.garnier", bridge(0.35, 30), (0, 0), 50).topic("Customer escalation bridge")
                .to(External(None)),
            series("emma.dubois", bridge(0.15, 50), (0, 0), 70).topic("Incident bridge")
                .to(group("louis.martin priya.nair arthur.blanc camille.simon")),
            // One-off meetings; past webinars.
            one_off("member", -200, (16, 0), 60)
                .topic("Customer success stories: scaling with Demo Corp")
                .to(webinar("jules.fontaine lea.roux")).webinar(220),
            one_off("member", -95, (15, 0), 75).topic("Security & compliance deep dive")
                .to(webinar("admin")).webinar(180),
            one_off("member", -30, (16, 0), 90).topic("What shipped this year")
                .to(webinar("emma.dubois priya.nair")).webinar(260),
            one_off("chloe.lambert", -300, (11, 0), 60).topic("Marketing automation masterclass")
                .to(webinar("manon.faure")).webinar(200),
            one_off("chloe.lambert", -240, (14, 0), 90).topic("Reporting best practices")
                .to(webinar("analyst")).webinar(240),
            one_off("chloe.lambert", -150, (17, 0), 60).topic("Live Q&A with the product team")
                .to(webinar("member priya.nair")).webinar(160),
            one_off("chloe.lambert", -60, (10, 0), 90)
                .topic("Partner enablement: certification session").to(webinar("sarah.cohen"))
                .webinar(120),
            // A webinar without registration.
            one_off("chloe.lambert", -120, (16, 30), 45).topic("Open house: ask us anything")
                .to(webinar("")).webinar(0).extras(100, 0, 100),
            // Upcoming webinars.
            one_off("member", 9, (16, 0), 60).topic("Roadmap preview: reporting and analytics")
                .to(webinar("priya.nair")).webinar(85),
            one_off("member", 16, (10, 0), 90).topic("Customer onboarding bootcamp")
                .to(webinar("ines.garnier")).webinar(45),
            one_off("chloe.lambert", 23, (15, 0), 45).topic("Spring campaign launch")
                .to(webinar("helene.leroy")).webinar(30),
            // A meeting with registration, held.
            one_off("ines.garnier", -80, (10, 0), 90).topic("Customer training: admin console")
                .to(External(None)).registration(30).extras(100, 100, 100),
            // Upcoming meetings.
            one_off("member", 6, (10, 0), 60).topic("QBR — Acme Corp").to(External(Some(0))),
            one_off("owner", 13, (9, 0), 90).topic("Board meeting prep")
                .to(group("admin billing auditor")),
            one_off("member", 15, (14, 0), 60).topic("Customer training: onboarding")
                .to(External(None)).registration(25),
            one_off("member", 20, (9, 30), 240).topic("Team offsite (cancelled)").to(Dept("Sales"))
                .deleted(2),
            // Never started, more than 30 days ago: the prune job's work.
            one_off("chloe.lambert", -45, (11, 0), 30).topic("Partner webinar dry run")
                .to(webinar("sarah.cohen")).webinar(12).not_held(),
            one_off("manon.faure", -70, (14, 0), 120).topic("Offsite planning workshop")
                .to(Dept("Marketing")).registration(15).not_held(),
            one_off("raphael.chevalier", -38, (10, 0), 30).topic("Vendor review — Initech")
                .to(External(Some(2))).not_held(),
            one_off("owner", -130, (9, 0), 60).topic("Budget review: next quarter")
                .to(Dept("Finance")).not_held(),
            one_off("louis.martin", -200, (15, 0), 30).topic("Hiring sync: backend role")
                .to(one_on_one("priya.nair")).not_held(),
            // Never started, but within the 30 days.
            one_off("lea.roux", -12, (16, 0), 30).topic("Pricing follow-up — Hooli")
                .to(External(Some(6))).not_held(),
            one_off("arthur.blanc", -3, (11, 0), 45).topic("Tech talk rehearsal")
                .to(Dept("Engineering")).not_held(),
            // Held, then deleted.
            one_off("jules.fontaine", -150, (14, 0), 60).topic("Contract negotiation — Globex")
                .to(External(Some(1))).deleted(140),
            // No fixed time, never used.
            one_off("james.walker", -220, (9, 0), 60).topic("London office hours")
                .to(External(None)).no_fixed_time(),
            one_off("chloe.lambert", -90, (9, 0), 60).topic("Agency brainstorm room")
                .to(Dept("Marketing")).no_fixed_time(),
        ],
    }
}

/// Other Inc: the same kinds of data in another account, to prove tenant isolation.
#[rustfmt::skip]
fn other_inc() -> AccountSpec {
    AccountSpec {
        name: "Other Inc", platform_id: "other-inc", domain: "other.example", plan: "BUSINESS",
        time_zone: "America/New_York", billing_reports_enabled: true, webinar_addon: true,
        phone_plan: Some("Pro"),
        // 500 GiB.
        cloud_storage_allowance_bytes: 536_870_912_000, created_days_ago: 1000, cloud: true,
        max_minutes: None, months: 12, activity: 0.7, sessions_per_user_year: None, prospects: 150,
        holidays: &[(1, 1), (1, 19), (5, 25), (7, 4), (9, 7), (11, 26), (12, 25)],
        quiet_month: None, rooms: &names::ROOMS_NEW_YORK, office_net: "198.51.100",
        license_price_micros: 21_990_000, tax_rate_per_100k: 8_875,
        departments: &["Operations", "Customer Success"],
        roles: const { &[custom_role("Reporting", true, false, false)] }, rates: SMALL_RATES,
        users: vec![
            user("Michael", "Chen", OPS, Regular, 1000, "Mac").local("owner").role("OWNER")
                .at("New York, US", "US"),
            user("Sarah", "Johnson", CS, Heavy, 800, "Windows").webinars().at("New York, US", "US"),
            user("David", "Kim", OPS, Light, 600, "Mac").custom("Reporting").at("Boston, US", "US"),
            user("Emily", "Davis", CS, JoinOnly, 120, "Web").basic().at("New York, US", "US"),
        ],
        meetings: vec![
            series("owner", Weekly(Mon), (9, 0), 45).topic("Ops weekly")
                .to(group("sarah.johnson david.kim emily.davis")),
            series("sarah.johnson", Weekly(Wed), (11, 0), 30).topic("CS team sync")
                .to(Dept("Customer Success")),
            series("sarah.johnson", Monthly(Thu, 2), (13, 0), 45)
                .topic("Getting started with Other Inc").to(webinar("emily.davis")).webinar(100)
                .extras(100, 50, 80),
            // One-off meetings.
            one_off("sarah.johnson", 12, (13, 0), 60).topic("Other Inc quarterly update")
                .to(webinar("owner")).webinar(40),
            one_off("owner", 5, (10, 0), 60).topic("Budget planning").to(group("david.kim")),
            one_off("owner", -50, (14, 0), 30).topic("Vendor shortlist review")
                .to(External(Some(10))).not_held(),
            one_off("david.kim", -90, (10, 0), 60).topic("Quarterly planning (old)")
                .to(Dept("Operations")).deleted(85),
            one_off("david.kim", -300, (9, 0), 30).topic("Ops standby bridge")
                .to(Dept("Operations")).no_fixed_time(),
        ],
    }
}

/// Free Co: a few 40-minute meetings on the Basic plan, to prove plan gating.
#[rustfmt::skip]
fn free_co() -> AccountSpec {
    AccountSpec {
        name: "Free Co", platform_id: "free-co", domain: "free.example", plan: "BASIC",
        time_zone: "UTC", billing_reports_enabled: false, webinar_addon: false, phone_plan: None,
        cloud_storage_allowance_bytes: 0, created_days_ago: 500, cloud: false,
        max_minutes: Some(40), months: 12, activity: 1.0, sessions_per_user_year: None,
        prospects: 20, holidays: &[(1, 1), (12, 25)], quiet_month: None, rooms: &[],
        office_net: "192.0.2", license_price_micros: 0, tax_rate_per_100k: 0, departments: &[],
        roles: &[], rates: SMALL_RATES,
        users: vec![
            user("Sam", "Taylor", None, Light, 500, "Web").local("owner").role("OWNER").basic()
                .at("Dublin, IE", "IE"),
            user("Alex", "Lee", None, JoinOnly, 300, "Android").basic().at("Dublin, IE", "IE"),
        ],
        meetings: vec![
            series("owner", Weekly(Fri), (15, 0), 30).topic("Weekly catch-up")
                .to(one_on_one("alex.lee")),
            // One-off meetings.
            one_off("owner", 3, (11, 0), 30).topic("Catch-up").to(one_on_one("alex.lee")),
            one_off("owner", -40, (10, 0), 40).topic("Planning session").to(External(Some(4)))
                .not_held(),
        ],
    }
}

/// The small accounts: fewer administrative changes.
const SMALL_RATES: Rates = Rates {
    admin_changes: 6,
    ..DEMO_RATES
};
