//! Who the user is on their first day; the home screen shows their
//! walkthroughs first.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// A new member of the organisation.
    Employee,
    /// Someone from outside invited to a guest space.
    Guest,
    /// Whoever signed up for the trial or administers the site.
    Admin,
}
