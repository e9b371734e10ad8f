//! What the demo accounts are: their settings, users, recurring meetings and the hand-placed
//! meetings that exercise edge cases (upcoming, never started, deleted, no fixed time). The
//! bulk of one-off meetings is drawn at random from each host's [`Profile`].

use chrono::Weekday;

/// How much a user hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// Several meetings a week.
    Heavy,
    /// About one a week.
    Regular,
    /// A couple a month.
    Light,
    /// Never hosts; joins others' meetings.
    JoinOnly,
    /// Never hosts, never joins (an inactive host in every range).
    Dormant,
}

impl Profile {
    /// (scheduled, instant) one-off meetings per week.
    pub(crate) fn weekly_rates(self) -> (f64, f64) {
        match self {
            Profile::Heavy => (2.2, 1.0),
            Profile::Regular => (1.0, 0.4),
            Profile::Light => (0.3, 0.1),
            Profile::JoinOnly | Profile::Dormant => (0.0, 0.0),
        }
    }

    pub(crate) fn hosts(self) -> bool {
        matches!(self, Profile::Heavy | Profile::Regular | Profile::Light)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct UserSpec {
    /// The e-mail's local part; the domain is the account's.
    pub(crate) local: &'static str,
    pub(crate) first: &'static str,
    pub(crate) last: &'static str,
    /// OWNER | ADMIN | MEMBER
    pub(crate) role: &'static str,
    pub(crate) custom_role: Option<&'static str>,
    pub(crate) dept: Option<&'static str>,
    pub(crate) licensed: bool,
    pub(crate) profile: Profile,
    /// Days before `now` the user was added.
    pub(crate) created_days_ago: i64,
    /// Days before `now` the user stopped signing in (0: still active).
    pub(crate) quiet_days: i64,
    /// Preferred client: Windows | Mac | iOS | Android | Web
    pub(crate) device: &'static str,
    pub(crate) location: &'static str,
    pub(crate) country: &'static str,
    /// Hosts webinars.
    pub(crate) webinars: bool,
}

const fn user(
    local: &'static str,
    first: &'static str,
    last: &'static str,
    dept: Option<&'static str>,
    profile: Profile,
    created_days_ago: i64,
    device: &'static str,
) -> UserSpec {
    UserSpec {
        local,
        first,
        last,
        role: "MEMBER",
        custom_role: None,
        dept,
        licensed: true,
        profile,
        created_days_ago,
        quiet_days: 0,
        device,
        location: "Paris, FR",
        country: "FR",
        webinars: false,
    }
}

impl UserSpec {
    const fn role(mut self, role: &'static str) -> Self {
        self.role = role;
        self
    }
    const fn custom(mut self, role: &'static str) -> Self {
        self.custom_role = Some(role);
        self
    }
    const fn basic(mut self) -> Self {
        self.licensed = false;
        self
    }
    const fn webinars(mut self) -> Self {
        self.webinars = true;
        self
    }
    const fn quiet(mut self, days: i64) -> Self {
        self.quiet_days = days;
        self
    }
    const fn at(mut self, location: &'static str, country: &'static str) -> Self {
        self.location = location;
        self.country = country;
        self
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleSpec {
    pub(crate) name: &'static str,
    pub(crate) usage_reports: bool,
    pub(crate) user_activity_reports: bool,
    pub(crate) billing_reports: bool,
}

/// Who a meeting invites. Users are named by their e-mail's local part.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Aud {
    /// The host's colleagues in a department.
    Team(&'static str),
    /// Everybody, and meeting rooms.
    AllHands,
    OneOnOne(&'static str),
    Group(&'static [&'static str]),
    /// People of an outside company (an index into `COMPANIES`; `None`: a different one each
    /// time), with a colleague of the host now and then.
    External(Option<usize>),
    /// A webinar with these panelists; attendees come from the registrants.
    Webinar(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Cadence {
    Weekdays,
    Weekly(Weekday),
    Biweekly(Weekday),
    /// The n-th such weekday of each month.
    Monthly(Weekday, u8),
    /// RECURRING_NO_FIXED_TIME: sessions whenever, `per_week` on average, `night_pct` percent
    /// of them late in the evening (across midnight).
    NoFixedTime {
        per_week: f64,
        night_pct: u32,
    },
}

/// A recurring meeting or webinar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SeriesSpec {
    pub(crate) host: &'static str,
    pub(crate) topic: &'static str,
    pub(crate) webinar: bool,
    pub(crate) cadence: Cadence,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) minutes: i64,
    pub(crate) audience: Aud,
    /// Days before `now` the series was created.
    pub(crate) since_days: i64,
    /// Days before `now` the series ended (0: still running).
    pub(crate) until_days: i64,
    /// Deleted when it ended.
    pub(crate) deleted: bool,
    pub(crate) registrants: u32,
    pub(crate) record_pct: u32,
    pub(crate) poll_pct: u32,
    pub(crate) qa_pct: u32,
}

const fn series(
    host: &'static str,
    topic: &'static str,
    cadence: Cadence,
    (hour, minute): (u32, u32),
    minutes: i64,
    audience: Aud,
) -> SeriesSpec {
    SeriesSpec {
        host,
        topic,
        webinar: false,
        cadence,
        hour,
        minute,
        minutes,
        audience,
        since_days: 400,
        until_days: 0,
        deleted: false,
        registrants: 0,
        record_pct: 0,
        poll_pct: 0,
        qa_pct: 0,
    }
}

impl SeriesSpec {
    const fn webinar(mut self, registrants: u32) -> Self {
        self.webinar = true;
        self.registrants = registrants;
        self
    }
    const fn extras(mut self, record_pct: u32, poll_pct: u32, qa_pct: u32) -> Self {
        self.record_pct = record_pct;
        self.poll_pct = poll_pct;
        self.qa_pct = qa_pct;
        self
    }
    const fn between(mut self, since_days: i64, until_days: i64, deleted: bool) -> Self {
        self.since_days = since_days;
        self.until_days = until_days;
        self.deleted = deleted;
        self
    }
}

/// A hand-placed meeting or webinar: past, upcoming, never started or deleted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OneOffSpec {
    pub(crate) host: &'static str,
    pub(crate) topic: &'static str,
    pub(crate) webinar: bool,
    /// SCHEDULED | RECURRING_NO_FIXED_TIME (then without a start)
    pub(crate) meeting_type: &'static str,
    /// Day relative to `now` (negative: past), in the account's zone; weekends move to Friday.
    pub(crate) day: i64,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) minutes: i64,
    /// Held (a session) when it lies in the past.
    pub(crate) held: bool,
    /// Deleted this many days before `now`.
    pub(crate) deleted_days_ago: Option<i64>,
    /// Registration required, with this many registrants (0: no registration).
    pub(crate) registrants: u32,
    pub(crate) audience: Aud,
    pub(crate) record_pct: u32,
    pub(crate) poll_pct: u32,
    pub(crate) qa_pct: u32,
}

const fn one_off(
    host: &'static str,
    topic: &'static str,
    day: i64,
    (hour, minute): (u32, u32),
    minutes: i64,
    audience: Aud,
) -> OneOffSpec {
    OneOffSpec {
        host,
        topic,
        webinar: false,
        meeting_type: "SCHEDULED",
        day,
        hour,
        minute,
        minutes,
        held: true,
        deleted_days_ago: None,
        registrants: 0,
        audience,
        record_pct: 0,
        poll_pct: 0,
        qa_pct: 0,
    }
}

impl OneOffSpec {
    const fn webinar(mut self, registrants: u32) -> Self {
        self.webinar = true;
        self.registrants = registrants;
        self.record_pct = 100;
        self.poll_pct = 70;
        self.qa_pct = 90;
        self
    }
    const fn registration(mut self, registrants: u32) -> Self {
        self.registrants = registrants;
        self
    }
    const fn not_held(mut self) -> Self {
        self.held = false;
        self
    }
    const fn no_fixed_time(mut self) -> Self {
        self.meeting_type = "RECURRING_NO_FIXED_TIME";
        self.held = false;
        self
    }
    const fn deleted(mut self, days_ago: i64) -> Self {
        self.deleted_days_ago = Some(days_ago);
        self
    }
    const fn extras(mut self, record_pct: u32, poll_pct: u32, qa_pct: u32) -> Self {
        self.record_pct = record_pct;
        self.poll_pct = poll_pct;
        self.qa_pct = qa_pct;
        self
    }
}

pub(crate) struct AccountSpec {
    /// The platform's account id (README: the demo accounts' documented ids).
    pub(crate) platform_id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) domain: &'static str,
    pub(crate) plan: &'static str,
    pub(crate) time_zone: &'static str,
    pub(crate) billing_reports_enabled: bool,
    pub(crate) webinar_addon: bool,
    pub(crate) phone_plan: Option<&'static str>,
    pub(crate) cloud_storage_allowance_bytes: i64,
    pub(crate) created_days_ago: i64,
    /// Cloud recording (not on BASIC).
    pub(crate) cloud: bool,
    /// Meetings end after this many minutes (BASIC: 40).
    pub(crate) max_minutes: Option<i64>,
    /// Multiplies every host's one-off meeting rate.
    pub(crate) activity: f64,
    /// Prospects: the outside people who register, attend and get invited.
    pub(crate) prospects: usize,
    /// Public holidays (month, day): no meetings.
    pub(crate) holidays: &'static [(u32, u32)],
    /// Summer weeks run at reduced activity (August in France).
    pub(crate) quiet_month: Option<u32>,
    pub(crate) rooms: &'static [&'static str],
    /// Office IP prefix (a documentation range).
    pub(crate) office_net: &'static str,
    /// Billing: price per licence and month, tax rate in 1/100000.
    pub(crate) license_price_micros: i64,
    pub(crate) tax_rate_per_100k: i64,
    pub(crate) departments: &'static [&'static str],
    pub(crate) roles: &'static [RoleSpec],
    pub(crate) users: &'static [UserSpec],
    pub(crate) series: &'static [SeriesSpec],
    pub(crate) one_offs: &'static [OneOffSpec],
}

use Aud::*;
use Cadence::*;
use Profile::*;
use Weekday::*;

const ENG: Option<&str> = Some("Engineering");
const SALES: Option<&str> = Some("Sales");
const MKT: Option<&str> = Some("Marketing");
const SUPPORT: Option<&str> = Some("Support");
const FIN: Option<&str> = Some("Finance");

pub(crate) const DEMO_CORP: AccountSpec = AccountSpec {
    name: "Demo Corp",
    platform_id: "demo-corp",
    domain: "demo.example",
    plan: "BUSINESS",
    time_zone: "Europe/Paris",
    billing_reports_enabled: true,
    webinar_addon: true,
    phone_plan: Some("Business"),
    // 1 TiB of cloud recording storage.
    cloud_storage_allowance_bytes: 1_099_511_627_776,
    created_days_ago: 1300,
    cloud: true,
    max_minutes: None,
    activity: 1.0,
    prospects: 600,
    holidays: &[
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
        (12, 26),
    ],
    quiet_month: Some(8),
    rooms: &super::names::ROOMS_PARIS,
    office_net: "203.0.113",
    license_price_micros: 21_990_000,
    tax_rate_per_100k: 20_000,
    departments: &["Engineering", "Sales", "Marketing", "Support", "Finance"],
    roles: &[
        RoleSpec {
            name: "Auditor",
            usage_reports: false,
            user_activity_reports: true,
            billing_reports: false,
        },
        RoleSpec {
            name: "Analyst",
            usage_reports: true,
            user_activity_reports: false,
            billing_reports: false,
        },
        RoleSpec {
            name: "Billing admin",
            usage_reports: false,
            user_activity_reports: false,
            billing_reports: true,
        },
    ],
    users: &[
        user("owner", "Claire", "Moreau", None, Regular, 1300, "Mac").role("OWNER"),
        user("admin", "Antoine", "Girard", ENG, Regular, 1250, "Windows").role("ADMIN"),
        user("member", "Lucas", "Bernard", SALES, Heavy, 900, "Mac").webinars(),
        user("auditor", "Nadia", "Haddad", FIN, JoinOnly, 700, "Windows")
            .custom("Auditor")
            .basic(),
        user("analyst", "Hugo", "Laurent", MKT, Light, 650, "Web").custom("Analyst"),
        user(
            "billing", "Sophie", "Rousseau", FIN, JoinOnly, 800, "Windows",
        )
        .custom("Billing admin")
        .basic(),
        user("emma.dubois", "Emma", "Dubois", ENG, Heavy, 1100, "Mac"),
        user(
            "louis.martin",
            "Louis",
            "Martin",
            ENG,
            Regular,
            1000,
            "Windows",
        ),
        user(
            "chloe.lambert",
            "Chloé",
            "Lambert",
            MKT,
            Regular,
            950,
            "Mac",
        )
        .webinars(),
        user(
            "jules.fontaine",
            "Jules",
            "Fontaine",
            SALES,
            Heavy,
            880,
            "Windows",
        ),
        user(
            "ines.garnier",
            "Inès",
            "Garnier",
            SUPPORT,
            Regular,
            860,
            "Windows",
        ),
        user(
            "raphael.chevalier",
            "Raphaël",
            "Chevalier",
            SUPPORT,
            Light,
            820,
            "Android",
        )
        .at("Lyon, FR", "FR"),
        user("lea.roux", "Léa", "Roux", SALES, Regular, 780, "iOS"),
        user(
            "arthur.blanc",
            "Arthur",
            "Blanc",
            ENG,
            Light,
            760,
            "Windows",
        )
        .at("Lyon, FR", "FR"),
        user("manon.faure", "Manon", "Faure", MKT, Light, 720, "Mac"),
        user(
            "gabriel.mercier",
            "Gabriel",
            "Mercier",
            ENG,
            JoinOnly,
            690,
            "Windows",
        ),
        user("zoe.perrin", "Zoé", "Perrin", SALES, Dormant, 640, "Web")
            .basic()
            .quiet(150),
        user(
            "adam.morel",
            "Adam",
            "Morel",
            SUPPORT,
            JoinOnly,
            600,
            "Windows",
        )
        .basic(),
        user(
            "camille.simon",
            "Camille",
            "Simon",
            ENG,
            JoinOnly,
            560,
            "Mac",
        ),
        user("sarah.cohen", "Sarah", "Cohen", SALES, Regular, 520, "Mac").at("Bordeaux, FR", "FR"),
        user("priya.nair", "Priya", "Nair", ENG, Heavy, 480, "Mac"),
        user(
            "james.walker",
            "James",
            "Walker",
            SALES,
            Light,
            430,
            "Windows",
        )
        .at("London, GB", "GB"),
        user("helene.leroy", "Hélène", "Leroy", MKT, Regular, 160, "Mac"),
        user("theo.michel", "Théo", "Michel", FIN, Dormant, 75, "Windows").basic(),
        user("nathan.david", "Nathan", "David", ENG, JoinOnly, 40, "Web"),
        user("yuki.tanaka", "Yuki", "Tanaka", SUPPORT, Dormant, 6, "Mac")
            .basic()
            .quiet(6),
        user(
            "marc.petit",
            "Marc",
            "Petit",
            None,
            JoinOnly,
            300,
            "Windows",
        )
        .basic(),
    ],
    series: &[
        series(
            "emma.dubois",
            "Platform team daily stand-up",
            Weekdays,
            (9, 45),
            15,
            Team("Engineering"),
        ),
        series(
            "louis.martin",
            "Engineering weekly sync",
            Weekly(Mon),
            (10, 0),
            60,
            Team("Engineering"),
        )
        .extras(10, 0, 0),
        series(
            "jules.fontaine",
            "Sales pipeline review",
            Weekly(Tue),
            (9, 30),
            45,
            Team("Sales"),
        ),
        series(
            "chloe.lambert",
            "Marketing weekly",
            Weekly(Wed),
            (9, 30),
            30,
            Team("Marketing"),
        ),
        series(
            "ines.garnier",
            "Support team weekly",
            Weekly(Thu),
            (14, 0),
            45,
            Team("Support"),
        ),
        series(
            "owner",
            "Leadership weekly",
            Weekly(Mon),
            (17, 0),
            45,
            Group(&[
                "admin",
                "member",
                "jules.fontaine",
                "chloe.lambert",
                "ines.garnier",
                "emma.dubois",
            ]),
        ),
        series(
            "owner",
            "Monthly all-hands",
            Monthly(Thu, 1),
            (16, 0),
            60,
            AllHands,
        )
        .extras(100, 70, 100),
        series(
            "owner",
            "Finance monthly close",
            Monthly(Tue, 1),
            (11, 0),
            60,
            Team("Finance"),
        ),
        series(
            "member",
            "Acme weekly check-in",
            Weekly(Wed),
            (16, 0),
            30,
            External(Some(0)),
        )
        .extras(20, 0, 0),
        series(
            "member",
            "1:1 Lucas / Jules",
            Biweekly(Fri),
            (11, 0),
            30,
            OneOnOne("jules.fontaine"),
        ),
        series(
            "priya.nair",
            "Architecture review",
            Biweekly(Thu),
            (15, 0),
            60,
            Group(&[
                "emma.dubois",
                "louis.martin",
                "arthur.blanc",
                "gabriel.mercier",
                "camille.simon",
            ]),
        )
        .extras(40, 0, 0),
        series(
            "admin",
            "IT & security office hours",
            Biweekly(Tue),
            (14, 0),
            30,
            Group(&[
                "marc.petit",
                "adam.morel",
                "auditor",
                "billing",
                "nathan.david",
            ]),
        ),
        series(
            "sarah.cohen",
            "Channel partners sync",
            Monthly(Tue, 3),
            (15, 0),
            45,
            External(Some(1)),
        ),
        series(
            "helene.leroy",
            "Content calendar review",
            Weekly(Mon),
            (14, 0),
            30,
            Team("Marketing"),
        )
        .between(150, 0, false),
        series(
            "arthur.blanc",
            "Q1 migration task force",
            Weekly(Thu),
            (11, 0),
            45,
            Group(&[
                "emma.dubois",
                "priya.nair",
                "gabriel.mercier",
                "camille.simon",
            ]),
        )
        .between(330, 200, true),
        series(
            "member",
            "Demo Corp product tour",
            Monthly(Tue, 1),
            (16, 0),
            45,
            Webinar(&["jules.fontaine"]),
        )
        .webinar(320)
        .extras(100, 50, 80),
        series(
            "member",
            "Deal room",
            NoFixedTime {
                per_week: 0.5,
                night_pct: 0,
            },
            (0, 0),
            40,
            External(None),
        ),
        series(
            "ines.garnier",
            "Customer escalation bridge",
            NoFixedTime {
                per_week: 0.35,
                night_pct: 30,
            },
            (0, 0),
            50,
            External(None),
        ),
        series(
            "emma.dubois",
            "Incident bridge",
            NoFixedTime {
                per_week: 0.15,
                night_pct: 50,
            },
            (0, 0),
            70,
            Group(&[
                "louis.martin",
                "priya.nair",
                "arthur.blanc",
                "camille.simon",
            ]),
        ),
    ],
    one_offs: &[
        // Past webinars.
        one_off(
            "member",
            "Customer success stories: scaling with Demo Corp",
            -200,
            (16, 0),
            60,
            Webinar(&["jules.fontaine", "lea.roux"]),
        )
        .webinar(220),
        one_off(
            "member",
            "Security & compliance deep dive",
            -95,
            (15, 0),
            75,
            Webinar(&["admin"]),
        )
        .webinar(180),
        one_off(
            "member",
            "What shipped this year",
            -30,
            (16, 0),
            90,
            Webinar(&["emma.dubois", "priya.nair"]),
        )
        .webinar(260),
        one_off(
            "chloe.lambert",
            "Marketing automation masterclass",
            -300,
            (11, 0),
            60,
            Webinar(&["manon.faure"]),
        )
        .webinar(200),
        one_off(
            "chloe.lambert",
            "Reporting best practices",
            -240,
            (14, 0),
            90,
            Webinar(&["analyst"]),
        )
        .webinar(240),
        one_off(
            "chloe.lambert",
            "Live Q&A with the product team",
            -150,
            (17, 0),
            60,
            Webinar(&["member", "priya.nair"]),
        )
        .webinar(160),
        one_off(
            "chloe.lambert",
            "Partner enablement: certification session",
            -60,
            (10, 0),
            90,
            Webinar(&["sarah.cohen"]),
        )
        .webinar(120),
        // A webinar without registration.
        one_off(
            "chloe.lambert",
            "Open house: ask us anything",
            -120,
            (16, 30),
            45,
            Webinar(&[]),
        )
        .webinar(0)
        .extras(100, 0, 100),
        // Upcoming webinars.
        one_off(
            "member",
            "Roadmap preview: reporting and analytics",
            9,
            (16, 0),
            60,
            Webinar(&["priya.nair"]),
        )
        .webinar(85),
        one_off(
            "member",
            "Customer onboarding bootcamp",
            16,
            (10, 0),
            90,
            Webinar(&["ines.garnier"]),
        )
        .webinar(45),
        one_off(
            "chloe.lambert",
            "Spring campaign launch",
            23,
            (15, 0),
            45,
            Webinar(&["helene.leroy"]),
        )
        .webinar(30),
        // A meeting with registration, held.
        one_off(
            "ines.garnier",
            "Customer training: admin console",
            -80,
            (10, 0),
            90,
            External(None),
        )
        .registration(30)
        .extras(100, 100, 100),
        // Upcoming meetings.
        one_off(
            "member",
            "QBR — Acme Corp",
            6,
            (10, 0),
            60,
            External(Some(0)),
        ),
        one_off(
            "owner",
            "Board meeting prep",
            13,
            (9, 0),
            90,
            Group(&["admin", "billing", "auditor"]),
        ),
        one_off(
            "member",
            "Customer training: onboarding",
            15,
            (14, 0),
            60,
            External(None),
        )
        .registration(25),
        one_off(
            "member",
            "Team offsite (cancelled)",
            20,
            (9, 30),
            240,
            Team("Sales"),
        )
        .deleted(2),
        // Never started, more than 30 days ago: the prune job's work.
        one_off(
            "chloe.lambert",
            "Partner webinar dry run",
            -45,
            (11, 0),
            30,
            Webinar(&["sarah.cohen"]),
        )
        .webinar(12)
        .not_held(),
        one_off(
            "manon.faure",
            "Offsite planning workshop",
            -70,
            (14, 0),
            120,
            Team("Marketing"),
        )
        .registration(15)
        .not_held(),
        one_off(
            "raphael.chevalier",
            "Vendor review — Initech",
            -38,
            (10, 0),
            30,
            External(Some(2)),
        )
        .not_held(),
        one_off(
            "owner",
            "Budget review: next quarter",
            -130,
            (9, 0),
            60,
            Team("Finance"),
        )
        .not_held(),
        one_off(
            "louis.martin",
            "Hiring sync: backend role",
            -200,
            (15, 0),
            30,
            OneOnOne("priya.nair"),
        )
        .not_held(),
        // Never started, but within the 30 days.
        one_off(
            "lea.roux",
            "Pricing follow-up — Hooli",
            -12,
            (16, 0),
            30,
            External(Some(6)),
        )
        .not_held(),
        one_off(
            "arthur.blanc",
            "Tech talk rehearsal",
            -3,
            (11, 0),
            45,
            Team("Engineering"),
        )
        .not_held(),
        // Held, then deleted.
        one_off(
            "jules.fontaine",
            "Contract negotiation — Globex",
            -150,
            (14, 0),
            60,
            External(Some(1)),
        )
        .deleted(140),
        // No fixed time, never used.
        one_off(
            "james.walker",
            "London office hours",
            -220,
            (9, 0),
            60,
            External(None),
        )
        .no_fixed_time(),
        one_off(
            "chloe.lambert",
            "Agency brainstorm room",
            -90,
            (9, 0),
            60,
            Team("Marketing"),
        )
        .no_fixed_time(),
    ],
};

const OPS: Option<&str> = Some("Operations");
const CS: Option<&str> = Some("Customer Success");

pub(crate) const OTHER_INC: AccountSpec = AccountSpec {
    name: "Other Inc",
    platform_id: "other-inc",
    domain: "other.example",
    plan: "BUSINESS",
    time_zone: "America/New_York",
    billing_reports_enabled: true,
    webinar_addon: true,
    phone_plan: Some("Pro"),
    // 500 GiB.
    cloud_storage_allowance_bytes: 536_870_912_000,
    created_days_ago: 1000,
    cloud: true,
    max_minutes: None,
    activity: 0.7,
    prospects: 150,
    holidays: &[(1, 1), (1, 19), (5, 25), (7, 4), (9, 7), (11, 26), (12, 25)],
    quiet_month: None,
    rooms: &super::names::ROOMS_NEW_YORK,
    office_net: "198.51.100",
    license_price_micros: 21_990_000,
    tax_rate_per_100k: 8_875,
    departments: &["Operations", "Customer Success"],
    roles: &[RoleSpec {
        name: "Reporting",
        usage_reports: true,
        user_activity_reports: false,
        billing_reports: false,
    }],
    users: &[
        user("owner", "Michael", "Chen", OPS, Regular, 1000, "Mac")
            .role("OWNER")
            .at("New York, US", "US"),
        user(
            "sarah.johnson",
            "Sarah",
            "Johnson",
            CS,
            Heavy,
            800,
            "Windows",
        )
        .webinars()
        .at("New York, US", "US"),
        user("david.kim", "David", "Kim", OPS, Light, 600, "Mac")
            .custom("Reporting")
            .at("Boston, US", "US"),
        user("emily.davis", "Emily", "Davis", CS, JoinOnly, 120, "Web")
            .basic()
            .at("New York, US", "US"),
    ],
    series: &[
        series(
            "owner",
            "Ops weekly",
            Weekly(Mon),
            (9, 0),
            45,
            Group(&["sarah.johnson", "david.kim", "emily.davis"]),
        ),
        series(
            "sarah.johnson",
            "CS team sync",
            Weekly(Wed),
            (11, 0),
            30,
            Team("Customer Success"),
        ),
        series(
            "sarah.johnson",
            "Getting started with Other Inc",
            Monthly(Thu, 2),
            (13, 0),
            45,
            Webinar(&["emily.davis"]),
        )
        .webinar(100)
        .extras(100, 50, 80),
    ],
    one_offs: &[
        one_off(
            "sarah.johnson",
            "Other Inc quarterly update",
            12,
            (13, 0),
            60,
            Webinar(&["owner"]),
        )
        .webinar(40),
        one_off(
            "owner",
            "Budget planning",
            5,
            (10, 0),
            60,
            Group(&["david.kim"]),
        ),
        one_off(
            "owner",
            "Vendor shortlist review",
            -50,
            (14, 0),
            30,
            External(Some(10)),
        )
        .not_held(),
        one_off(
            "david.kim",
            "Quarterly planning (old)",
            -90,
            (10, 0),
            60,
            Team("Operations"),
        )
        .deleted(85),
        one_off(
            "david.kim",
            "Ops standby bridge",
            -300,
            (9, 0),
            30,
            Team("Operations"),
        )
        .no_fixed_time(),
    ],
};

pub(crate) const FREE_CO: AccountSpec = AccountSpec {
    name: "Free Co",
    platform_id: "free-co",
    domain: "free.example",
    plan: "BASIC",
    time_zone: "UTC",
    billing_reports_enabled: false,
    webinar_addon: false,
    phone_plan: None,
    cloud_storage_allowance_bytes: 0,
    created_days_ago: 500,
    cloud: false,
    max_minutes: Some(40),
    activity: 1.0,
    prospects: 20,
    holidays: &[(1, 1), (12, 25)],
    quiet_month: None,
    rooms: &[],
    office_net: "192.0.2",
    license_price_micros: 0,
    tax_rate_per_100k: 0,
    departments: &[],
    roles: &[],
    users: &[
        user("owner", "Sam", "Taylor", None, Light, 500, "Web")
            .role("OWNER")
            .basic()
            .at("Dublin, IE", "IE"),
        user("alex.lee", "Alex", "Lee", None, JoinOnly, 300, "Android")
            .basic()
            .at("Dublin, IE", "IE"),
    ],
    series: &[series(
        "owner",
        "Weekly catch-up",
        Weekly(Fri),
        (15, 0),
        30,
        OneOnOne("alex.lee"),
    )],
    one_offs: &[
        one_off("owner", "Catch-up", 3, (11, 0), 30, OneOnOne("alex.lee")),
        one_off(
            "owner",
            "Planning session",
            -40,
            (10, 0),
            40,
            External(Some(4)),
        )
        .not_held(),
    ],
};

pub(crate) const ACCOUNTS: [&AccountSpec; 3] = [&DEMO_CORP, &OTHER_INC, &FREE_CO];
