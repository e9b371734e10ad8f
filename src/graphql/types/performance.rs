//! The webinar Performance report.

use async_graphql::Object;

use reports::performance::PerformanceRow;

pub struct WebinarPerformance(pub PerformanceRow);

/// A webinar's performance, every figure computed by the database from the rows the
/// registration, attendee, Q&A and poll reports list. "Attendees" are people (join rows merged,
/// see `Attendee`) whose role is attendee: hosts and panelists are not counted.
#[Object]
impl WebinarPerformance {
    /// Registrants of any status.
    async fn registrants(&self) -> i64 {
        self.0.registrants
    }

    /// Registrants with status APPROVED.
    async fn approved_registrants(&self) -> i64 {
        self.0.approved_registrants
    }

    /// Approved registrants who joined (matched on registrant id, else email).
    async fn attended_registrants(&self) -> i64 {
        self.0.attended_registrants
    }

    /// Distinct people with the attendee role who joined; a rejoin counts once.
    async fn unique_attendees(&self) -> i64 {
        self.0.unique_attendees
    }

    /// attendedRegistrants ÷ approvedRegistrants, from 0 to 1; null without approved
    /// registrants.
    async fn attendance_rate(&self) -> Option<f64> {
        self.0.attendance_rate
    }

    /// Approved registrants who never joined: approvedRegistrants − attendedRegistrants.
    async fn absentees(&self) -> i64 {
        self.0.approved_registrants - self.0.attended_registrants
    }

    /// The most people in the webinar at one instant, hosts and panelists included (a leave
    /// and a join at the same second do not overlap).
    async fn peak_concurrent(&self) -> i64 {
        self.0.peak_concurrent
    }

    /// Minutes attendees spent in the webinar: the sum of every join's seconds (rejoins
    /// included) ÷ 60, rounded up.
    async fn total_minutes(&self) -> i64 {
        (self.0.attendee_seconds + 59) / 60
    }

    /// The sum of attendees' join seconds ÷ 60 ÷ uniqueAttendees; null without attendees.
    async fn average_minutes_per_attendee(&self) -> Option<f64> {
        self.0.average_seconds_per_attendee.map(|s| s / 60.0)
    }

    /// Q&A questions asked.
    async fn questions_asked(&self) -> i64 {
        self.0.questions_asked
    }

    /// Q&A questions with status ANSWERED.
    async fn questions_answered(&self) -> i64 {
        self.0.questions_answered
    }

    /// Polls launched.
    async fn polls_launched(&self) -> i64 {
        self.0.polls_launched
    }

    /// Distinct attendees who answered at least one poll question.
    async fn poll_respondents(&self) -> i64 {
        self.0.poll_respondents
    }

    /// pollRespondents ÷ uniqueAttendees, from 0 to 1; null without attendees.
    async fn poll_participation_rate(&self) -> Option<f64> {
        self.0.poll_participation_rate
    }
}
