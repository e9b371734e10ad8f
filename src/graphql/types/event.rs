//! `Event`: a meeting or a webinar, where a report lists both.

use async_graphql::Union;

use crate::graphql::types::meetings::{Meeting, MeetingCore, Webinar};

/// A meeting or a webinar. A union rather than an interface: async-graphql does not run field
/// guards reached through an interface.
#[derive(Union)]
pub enum Event {
    /// A meeting.
    Meeting(Meeting),
    /// A webinar.
    Webinar(Webinar),
}

impl Event {
    pub fn from_core(core: MeetingCore) -> Event {
        if core.row.kind == "WEBINAR" {
            Event::Webinar(Webinar(core))
        } else {
            Event::Meeting(Meeting(core))
        }
    }
}
