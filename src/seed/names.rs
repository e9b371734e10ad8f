//! Word lists for the demo data: names, companies, topics, questions. All domains are under the
//! reserved `.example` TLD, all telephone numbers in ranges set aside for fiction, all IP
//! addresses in the documentation ranges (RFC 5737).

pub(crate) const FIRST_NAMES: [&str; 48] = [
    "Alice", "Ben", "Carla", "Daniel", "Elena", "Farid", "Greta", "Hannah", "Ivan", "Julia",
    "Kenji", "Laura", "Marco", "Nina", "Omar", "Paula", "Quentin", "Rosa", "Stefan", "Tara",
    "Umar", "Vera", "Walter", "Xenia", "Yara", "Zack", "Amelie", "Bruno", "Chiara", "Diego", "Eva",
    "Felix", "Gina", "Henrik", "Ines", "Jonas", "Kira", "Leon", "Maya", "Noah", "Olga", "Pedro",
    "Rania", "Simon", "Tomas", "Ursula", "Victor", "Wendy",
];

#[rustfmt::skip]
pub(crate) const LAST_NAMES: [&str; 40] = [
    "Smith", "Johnson", "Garcia", "Miller", "Brown", "Schmidt", "Rossi", "Novak", "Kowalski",
    "Jensen", "Silva", "Costa", "Nakamura", "Okafor", "Haddad", "Larsen", "Moreno", "Fischer",
    "Dubois", "Kumar", "Ivanova", "Walsh", "Bianchi", "Santos", "Weber", "Lindqvist", "Patel",
    "Yilmaz", "Murphy", "Keller", "Andersen", "Baker", "Conti", "Duarte", "Evans", "Fontaine",
    "Gruber", "Horvat", "Ito", "Jovanovic",
];

#[rustfmt::skip]
pub(crate) const JOB_TITLES: [&str; 12] = [
    "Head of IT", "Product Manager", "Operations Lead", "CTO", "Marketing Director",
    "Customer Success Manager", "Software Engineer", "Procurement Officer", "Data Analyst",
    "Sales Manager", "Consultant", "Student",
];

#[rustfmt::skip]
pub(crate) const HEARD_FROM: [&str; 5] =
    ["LinkedIn", "A colleague", "Newsletter", "Search engine", "Event"];

/// An outside organisation whose people join meetings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Company {
    pub(crate) name: &'static str,
    pub(crate) domain: &'static str,
    pub(crate) location: &'static str,
    pub(crate) country: &'static str,
}

const fn company(
    name: &'static str,
    domain: &'static str,
    location: &'static str,
    country: &'static str,
) -> Company {
    Company {
        name,
        domain,
        location,
        country,
    }
}

#[rustfmt::skip]
pub(crate) const COMPANIES: [Company; 12] = [
    company("Acme Corp", "acme.example", "New York, US", "US"),
    company("Globex", "globex.example", "Berlin, DE", "DE"),
    company("Initech", "initech.example", "Austin, US", "US"),
    company("Umbrella Health", "umbrella.example", "London, GB", "GB"),
    company("Stark Logistics", "stark.example", "Lyon, FR", "FR"),
    company("Wayne Foods", "waynefoods.example", "Madrid, ES", "ES"),
    company("Hooli", "hooli.example", "San Francisco, US", "US"),
    company("Tyrell Systems", "tyrell.example", "Amsterdam, NL", "NL"),
    company("Cyberdyne", "cyberdyne.example", "Munich, DE", "DE"),
    company("Soylent Retail", "soylent.example", "Milan, IT", "IT"),
    company("Vandelay Industries", "vandelay.example", "Chicago, US", "US"),
    company("Massive Dynamic", "massive.example", "Toronto, CA", "CA"),
];

/// Mail domains of webinar registrants without a company address.
pub(crate) const MAIL_DOMAINS: [&str; 3] = ["mail.example", "post.example", "inbox.example"];

/// A fictional telephone number for `country`, numbered `n`.
pub(crate) fn phone_number(country: &str, n: u64) -> String {
    match country {
        // ARCEP reserves 01 99 00 xx xx for fiction.
        "FR" => format!("+33 1 99 00 {:02} {:02}", (n / 100) % 100, n % 100),
        // 555-0100 to 555-0199 are fictional in the NANP.
        "US" | "CA" => format!("+1 202 555 01{:02}", n % 100),
        // Ofcom's drama range.
        "GB" => format!("+44 20 7946 0{:03}", n % 1000),
        // Bundesnetzagentur's drama range.
        "DE" => format!("+49 30 23125 {:03}", n % 1000),
        "ES" => format!("+34 910 000 {:03}", n % 1000),
        "NL" => format!("+31 20 000 0{:03}", n % 1000),
        "IT" => format!("+39 02 0000 {:04}", n % 10000),
        _ => format!("+1 202 555 01{:02}", n % 100),
    }
}

/// The platform's audio-conferencing numbers: (toll, toll-free) per country.
pub(crate) fn dial_in(country: &str) -> (&'static str, &'static str) {
    match country {
        "FR" => ("+33 1 99 00 00 01", "+33 800 000 001"),
        "GB" => ("+44 20 7946 0000", "+44 808 157 0000"),
        "DE" => ("+49 30 23125 000", "+49 800 000 0000"),
        _ => ("+1 202 555 0100", "+1 800 555 0100"),
    }
}

/// Audio-conferencing rates in millionths of a dollar per started minute.
pub(crate) fn conference_rate(call_type: &str, country: &str) -> i64 {
    let domestic = matches!(country, "US" | "CA");
    match (call_type, domestic) {
        // Toll calls are free for the account; the caller pays their carrier.
        ("TOLL", _) => 0,
        ("TOLL_FREE", true) => 50_000,
        ("TOLL_FREE", false) => match country {
            "FR" => 120_000,
            "GB" => 90_000,
            "DE" => 100_000,
            _ => 150_000,
        },
        ("CALL_OUT", true) => 35_000,
        ("CALL_OUT", false) => match country {
            "FR" => 70_000,
            "GB" => 60_000,
            _ => 90_000,
        },
        _ => 5_000,
    }
}

/// Public holidays in France (month, day); the last, 26 December, only in Alsace-Moselle.
#[rustfmt::skip]
pub(crate) const FRENCH_HOLIDAYS: [(u32, u32); 9] = [
    (1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26),
];

/// Meeting rooms that join internal meetings.
#[rustfmt::skip]
pub(crate) const ROOMS_PARIS: [&str; 4] = [
    "Paris HQ — Salle Eiffel", "Paris HQ — Salle Montmartre", "Paris HQ — Boardroom",
    "Lyon office — Salle Bellecour",
];
pub(crate) const ROOMS_NEW_YORK: [&str; 2] = ["NYC — Hudson Room", "NYC — Brooklyn Room"];

/// Topics of one-off meetings, per department; `{c}` is a company, `{n}` a number.
#[rustfmt::skip]
pub(crate) fn internal_topics(department: &str) -> &'static [&'static str] {
    match department {
        "Engineering" => &[
            "Sprint planning", "Backlog grooming", "Architecture review: event pipeline",
            "Incident postmortem #{n}", "Release readiness {n}", "API design review",
            "Tech debt triage", "On-call handover", "Performance deep dive", "Security review",
        ],
        "Sales" => &[
            "Pipeline review", "Forecast call", "Deal desk", "Pricing alignment",
            "Territory planning", "Sales enablement: new pricing",
        ],
        "Marketing" => &[
            "Campaign planning", "Content calendar review", "Brand workshop", "Launch retro",
            "Website refresh sync", "Event logistics",
        ],
        "Support" => &[
            "Support team huddle", "Knowledge base review", "Ticket backlog triage",
            "Escalation process review", "Tooling feedback",
        ],
        "Finance" => &[
            "Budget review", "Month-end close", "Audit prep", "Expense policy update",
            "Cash forecast",
        ],
        "Customer Success" => &[
            "Renewals review", "Churn risk review", "Onboarding playbook", "CS team sync",
        ],
        _ => &[
            "Weekly planning", "Hiring sync", "Process review", "Vendor shortlist",
            "Team lunch planning",
        ],
    }
}

#[rustfmt::skip]
pub(crate) fn external_topics(department: &str) -> &'static [&'static str] {
    match department {
        "Sales" => &[
            "Discovery call — {c}", "Product demo — {c}", "QBR — {c}", "Contract negotiation — {c}",
            "Pricing follow-up — {c}", "Security questionnaire — {c}",
        ],
        "Support" => &[
            "Escalation — ticket #{n} ({c})", "Customer onboarding — {c}",
            "Troubleshooting session — {c}", "Migration assistance — {c}",
        ],
        "Customer Success" => &[
            "Kick-off — {c}", "Business review — {c}", "Adoption check-in — {c}",
        ],
        "Marketing" => &[
            "Agency check-in — {c}", "Case study interview — {c}", "Co-marketing — {c}",
        ],
        "Finance" => &["Vendor review — {c}", "Invoice reconciliation — {c}"],
        _ => &["Partner sync — {c}", "Integration review — {c}", "Vendor call — {c}"],
    }
}

/// A poll question: text, type and the choices (empty for short answers).
pub(crate) struct PollTemplate {
    pub(crate) text: &'static str,
    pub(crate) question_type: &'static str,
    pub(crate) choices: &'static [&'static str],
}

#[rustfmt::skip]
pub(crate) const POLL_QUESTIONS: [PollTemplate; 7] = [
    PollTemplate { text: "How would you rate this session?", question_type: "SINGLE_CHOICE",
        choices: &["Excellent", "Good", "Fair", "Poor"] },
    PollTemplate { text: "Which topics should we cover next?", question_type: "MULTIPLE_CHOICE",
        choices: &["Security", "Integrations", "Reporting", "Pricing", "Roadmap"] },
    PollTemplate { text: "How large is your team?", question_type: "SINGLE_CHOICE",
        choices: &["1-10", "11-50", "51-200", "201-1000", "1000+"] },
    PollTemplate { text: "What would you like us to improve?", question_type: "SHORT_ANSWER",
        choices: &["More examples please", "Shorter sessions", "Share the slides earlier",
            "Great as it is", "More time for questions", "A deeper dive into the API"] },
    PollTemplate { text: "Which tools do you use today?", question_type: "MULTIPLE_CHOICE",
        choices: &["Spreadsheets", "CRM", "BI dashboards", "In-house scripts"] },
    PollTemplate { text: "Did this meeting reach its goal?", question_type: "SINGLE_CHOICE",
        choices: &["Yes", "Partly", "No"] },
    PollTemplate { text: "One word to describe this quarter?", question_type: "SHORT_ANSWER",
        choices: &["Busy", "Exciting", "Intense", "Productive", "Rewarding", "Chaotic"] },
];

#[rustfmt::skip]
pub(crate) const POLL_TITLES: [&str; 5] = [
    "Quick feedback", "Audience survey", "Pulse check", "Session feedback", "Before we start",
];

#[rustfmt::skip]
pub(crate) const QA_QUESTIONS: [&str; 16] = [
    "Will the recording be shared afterwards?", "Is there an API for exporting these reports?",
    "How does pricing work for larger teams?", "Can we integrate this with our SSO provider?",
    "What is on the roadmap for next quarter?", "Does it support data residency in the EU?",
    "How do you handle GDPR deletion requests?", "Can I try the beta features?",
    "Is there a limit on the number of participants?", "Where can I find the slides?",
    "How long does onboarding usually take?", "Can reports be scheduled by e-mail?",
    "What happens to our data if we cancel?", "Is there an on-premise option?",
    "Could you show the admin console again?", "Do you offer discounts for non-profits?",
];

pub(crate) const QA_ANSWERS: [&str; 8] = [
    "Yes, everyone who registered gets the recording within 24 hours.",
    "Yes — see the developer documentation, section Reports.",
    "Good question: our team will follow up with you by e-mail.",
    "That is planned for the next release.",
    "It is available today on the Business plan and above.",
    "We covered this in the demo; the slides include the details.",
    "Please reach out to support, they can enable it for your account.",
    "Not yet, but we are collecting interest.",
];

/// Client versions and how many days before `now` each was released.
#[rustfmt::skip]
pub(crate) const CLIENT_RELEASES: [(&str, i64); 8] = [
    ("5.17.11", 420), ("6.0.2", 340), ("6.0.11", 280), ("6.1.1", 220), ("6.1.6", 160),
    ("6.2.3", 100), ("6.2.10", 45), ("6.3.1", 12),
];
