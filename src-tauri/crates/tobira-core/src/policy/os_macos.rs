//! macOS: the managed preferences of `dev.tobira.desktop` that installed
//! profiles deliver. The file macOS writes is read rather than
//! CFPreferences asked: it holds exactly what the profiles say, and the
//! same reader checks a `.plist` or `.mobileconfig` on any OS. Device
//! profiles only: a user profile's file sits in a folder named by the
//! user, which an environment variable must not choose.

use std::path::Path;

const MANAGED_PREFERENCES: &str = "/Library/Managed Preferences/dev.tobira.desktop.plist";

pub(super) fn stores() -> Vec<super::StoreInput> {
    vec![super::file_store(
        Path::new(MANAGED_PREFERENCES),
        super::plist_reading,
    )]
}
