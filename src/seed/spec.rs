//! What one account's generated world is made of: its settings and rates, its people, its
//! recurring meetings and its hand-placed ones. The demo writes its three accounts out by hand
//! (`cast.rs`), the bench draws a population of any size (`bench/population.rs`); the generator
//! (`generator.rs`, `plan.rs`, `meetings.rs`, `admin.rs`) turns either into rows the same way.
//! Meetings name people as the platform does: by their e-mail address (its local part).

use std::borrow::Cow;

use chrono::Weekday;

/// How much a user hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// About ten short meetings a working day (the bench's heavy hosts).
    Busy,
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
    /// (scheduled, instant) one-off meetings per week, before the account's activity factor.
    pub(crate) fn weekly_rates(self) -> (f64, f64) {
        match self {
            Profile::Busy => (20.0, 1.0),
            Profile::Heavy => (2.2, 1.0),
            Profile::Regular => (1.0, 0.4),
            Profile::Light => (0.3, 0.1),
            Profile::JoinOnly | Profile::Dormant => (0.0, 0.0),
        }
    }

    pub(crate) fn hosts(self) -> bool {
        !matches!(self, Profile::JoinOnly | Profile::Dormant)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct UserSpec {
    /// The e-mail's local part; `None`: `first.last` in lower case without accents, followed by
    /// `number` if any.
    pub(crate) local: Option<&'static str>,
    pub(crate) number: Option<usize>,
    pub(crate) first: &'static str,
    pub(crate) last: &'static str,
    /// OWNER | ADMIN | MEMBER
    pub(crate) role: &'static str,
    pub(crate) custom_role: Option<&'static str>,
    pub(crate) dept: Option<&'static str>,
    /// The team the user meets most (an index into the account's teams); `None`: their
    /// department, and then the whole account.
    pub(crate) team: Option<usize>,
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

/// A licensed member of `dept` in Paris.
pub(crate) fn user(
    first: &'static str,
    last: &'static str,
    dept: Option<&'static str>,
    profile: Profile,
    created_days_ago: i64,
    device: &'static str,
) -> UserSpec {
    UserSpec {
        local: None,
        number: None,
        first,
        last,
        role: "MEMBER",
        custom_role: None,
        dept,
        team: None,
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
    pub(crate) fn local(mut self, local: &'static str) -> Self {
        self.local = Some(local);
        self
    }
    pub(crate) fn role(mut self, role: &'static str) -> Self {
        self.role = role;
        self
    }
    pub(crate) fn custom(mut self, role: &'static str) -> Self {
        self.custom_role = Some(role);
        self
    }
    pub(crate) fn basic(mut self) -> Self {
        self.licensed = false;
        self
    }
    pub(crate) fn webinars(mut self) -> Self {
        self.webinars = true;
        self
    }
    pub(crate) fn quiet(mut self, days: i64) -> Self {
        self.quiet_days = days;
        self
    }
    pub(crate) fn at(mut self, location: &'static str, country: &'static str) -> Self {
        self.location = location;
        self.country = country;
        self
    }

    /// The local part of the user's e-mail address.
    pub(crate) fn local_part(&self) -> String {
        if let Some(local) = self.local {
            return local.to_owned();
        }
        let fold = |name: &str| -> String {
            name.chars()
                .map(|c| match c {
                    'é' | 'è' | 'ê' | 'ë' => 'e',
                    'à' | 'â' => 'a',
                    'î' | 'ï' => 'i',
                    'ô' => 'o',
                    'ç' => 'c',
                    c => c.to_ascii_lowercase(),
                })
                .collect()
        };
        let number = self.number.map(|n| n.to_string()).unwrap_or_default();
        format!("{}.{}{number}", fold(self.first), fold(self.last))
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleSpec {
    pub(crate) name: &'static str,
    pub(crate) usage_reports: bool,
    pub(crate) user_activity_reports: bool,
    pub(crate) billing_reports: bool,
}

/// A custom role with these privileges: usage, user activity and billing reports.
pub(crate) const fn custom_role(
    name: &'static str,
    usage: bool,
    activity: bool,
    billing: bool,
) -> RoleSpec {
    RoleSpec {
        name,
        usage_reports: usage,
        user_activity_reports: activity,
        billing_reports: billing,
    }
}

/// Users as a spec names them: the local parts of their e-mail addresses, separated by spaces.
pub(crate) type Names = Cow<'static, str>;

/// Who a meeting invites, as a spec says it.
#[derive(Debug, Clone)]
pub(crate) enum Aud {
    /// The host's colleagues in a department.
    Dept(&'static str),
    /// A team (an index into the teams of the account's users).
    Team(usize),
    /// Everybody, and meeting rooms.
    AllHands,
    OneOnOne(Names),
    Group(Names),
    /// People of an outside company (an index into `COMPANIES`; `None`: a different one each
    /// time), with a colleague of the host now and then.
    External(Option<usize>),
    /// A webinar with these panelists; attendees come from the registrants.
    Webinar(Names),
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

/// A bridge with no fixed time: `per_week` sessions on average, `night_pct` percent at night.
pub(crate) fn bridge(per_week: f64, night_pct: u32) -> Cadence {
    Cadence::NoFixedTime {
        per_week,
        night_pct,
    }
}

/// When a meeting of a spec takes place.
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    /// Recurring on `cadence`: created `since_days` before now, running until `until_days`
    /// before now (0: still running), and deleted then if `deleted`.
    Series {
        cadence: Cadence,
        since_days: i64,
        until_days: i64,
        deleted: bool,
    },
    /// Once, `day` days from today (negative: past) in the account's zone, a weekend moved to
    /// Friday: `meeting_type` SCHEDULED or RECURRING_NO_FIXED_TIME (then without a start), held
    /// (a session) if it lies in the past and `held`, deleted `deleted_days_ago` before now.
    OneOff {
        day: i64,
        meeting_type: &'static str,
        held: bool,
        deleted_days_ago: Option<i64>,
    },
}

/// A meeting or webinar of a spec: recurring, or placed by hand (past, upcoming, never started
/// or deleted).
#[derive(Debug, Clone)]
pub(crate) struct MeetingSpec {
    pub(crate) host: Names,
    pub(crate) topic: Cow<'static, str>,
    pub(crate) webinar: bool,
    pub(crate) when: When,
    /// Local start time and planned length.
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) minutes: i64,
    pub(crate) audience: Aud,
    /// Registration required, with this many registrants (0: no registration).
    pub(crate) registrants: u32,
    /// Percent chance of a recording, a poll, Q&A in a session.
    pub(crate) record_pct: u32,
    pub(crate) poll_pct: u32,
    pub(crate) qa_pct: u32,
}

/// A meeting of `host` on `cadence` at `hour:minute` (local) for `minutes`, created 400 days ago
/// and still running.
pub(crate) fn series(
    host: impl Into<Names>,
    cadence: Cadence,
    at: (u32, u32),
    minutes: i64,
) -> MeetingSpec {
    let when = When::Series {
        cadence,
        since_days: 400,
        until_days: 0,
        deleted: false,
    };
    MeetingSpec::new(host.into(), when, at, minutes)
}

/// A scheduled meeting of `host` on `day` (relative to today) at `hour:minute`, held if past.
pub(crate) fn one_off(
    host: impl Into<Names>,
    day: i64,
    at: (u32, u32),
    minutes: i64,
) -> MeetingSpec {
    let when = When::OneOff {
        day,
        meeting_type: "SCHEDULED",
        held: true,
        deleted_days_ago: None,
    };
    MeetingSpec::new(host.into(), when, at, minutes)
}

impl MeetingSpec {
    fn new(host: Names, when: When, (hour, minute): (u32, u32), minutes: i64) -> Self {
        Self {
            host,
            topic: Cow::Borrowed(""),
            webinar: false,
            when,
            hour,
            minute,
            minutes,
            audience: Aud::AllHands,
            registrants: 0,
            record_pct: 0,
            poll_pct: 0,
            qa_pct: 0,
        }
    }

    pub(crate) fn topic(mut self, topic: impl Into<Cow<'static, str>>) -> Self {
        self.topic = topic.into();
        self
    }
    pub(crate) fn to(mut self, audience: Aud) -> Self {
        self.audience = audience;
        self
    }
    pub(crate) fn extras(mut self, record_pct: u32, poll_pct: u32, qa_pct: u32) -> Self {
        (self.record_pct, self.poll_pct, self.qa_pct) = (record_pct, poll_pct, qa_pct);
        self
    }
    /// A webinar with `registrants` (0: without registration), recorded, with polls and Q&A.
    pub(crate) fn webinar(self, registrants: u32) -> Self {
        Self {
            webinar: true,
            ..self.registration(registrants).extras(100, 70, 90)
        }
    }
    pub(crate) fn registration(mut self, registrants: u32) -> Self {
        self.registrants = registrants;
        self
    }
    /// A series created `since` and ended `until` (0: still running) days before now.
    pub(crate) fn between(mut self, since: i64, until: i64, deleted_then: bool) -> Self {
        if let When::Series {
            since_days,
            until_days,
            deleted,
            ..
        } = &mut self.when
        {
            (*since_days, *until_days, *deleted) = (since, until, deleted_then);
        }
        self
    }
    pub(crate) fn not_held(mut self) -> Self {
        if let When::OneOff { held, .. } = &mut self.when {
            *held = false;
        }
        self
    }
    pub(crate) fn no_fixed_time(mut self) -> Self {
        if let When::OneOff { meeting_type, .. } = &mut self.when {
            *meeting_type = "RECURRING_NO_FIXED_TIME";
        }
        self.not_held()
    }
    pub(crate) fn deleted(mut self, days_ago: i64) -> Self {
        if let When::OneOff {
            deleted_days_ago, ..
        } = &mut self.when
        {
            *deleted_days_ago = Some(days_ago);
        }
        self
    }
}

/// One account: its settings, its rates, and its people and meetings.
#[derive(Debug, Clone)]
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
    /// Months of activity before `now` (a month is a twelfth of 365 days).
    pub(crate) months: u32,
    /// Multiplies every host's one-off meeting rate.
    pub(crate) activity: f64,
    /// Sessions per user and year the one-off meetings are calibrated to (`activity` is then
    /// computed); `None`: `activity` as given.
    pub(crate) sessions_per_user_year: Option<f64>,
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
    pub(crate) rates: Rates,
    pub(crate) users: Vec<UserSpec>,
    /// Its meetings: the recurring ones are planned first, then the others, each in this order.
    pub(crate) meetings: Vec<MeetingSpec>,
}

/// The rates in which the demo's accounts and the bench's population differ.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rates {
    /// Percent of meeting attendees who leave and rejoin (webinars: 12).
    pub(crate) meeting_rejoin_pct: u32,
    /// Percent of webinar guests who dial in.
    pub(crate) webinar_phone_pct: u32,
    /// Percent of those present who answer a launched poll.
    pub(crate) poll_respondent_pct: u32,
    /// Percent of support sessions with a remote-support session.
    pub(crate) support_pct: u32,
    /// Percent of admin-or-owner choices that fall on an admin.
    pub(crate) admin_pct: u32,
    /// The most outside guests of a meeting with a company.
    pub(crate) guests: i64,
    /// Sizes of a random group meeting: at least `.0`, at most `.1`.
    pub(crate) group: (i64, i64),
    /// Multiplies every host's rate of instant meetings.
    pub(crate) instants: f64,
    /// Calls per phone user and working day.
    pub(crate) phone_calls: f64,
    /// Multiplies every user's sign-in rate.
    pub(crate) sign_ins: f64,
    /// User changes by admins over the months (settings and account changes in proportion).
    pub(crate) admin_changes: u32,
    /// Source ids sort by the event's time, as the platform's do (else random-looking).
    pub(crate) time_ordered_ids: bool,
}

/// The demo's rates.
#[rustfmt::skip]
pub(crate) const DEMO_RATES: Rates = Rates {
    meeting_rejoin_pct: 8, webinar_phone_pct: 5, poll_respondent_pct: 75, support_pct: 60,
    admin_pct: 50, guests: 4, group: (2, 6), instants: 1.0, phone_calls: 0.7, sign_ins: 1.0,
    admin_changes: 18, time_ordered_ids: false,
};
