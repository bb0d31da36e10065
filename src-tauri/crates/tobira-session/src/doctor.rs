//! The doctor as this install runs it: which site, which stored secrets,
//! which client certificate. Shared by `tobira doctor` and the window.

use std::path::Path;
use std::time::Duration;

use tobira_core::{Profile, Region, ScopeError, SiteAddress};
use tobira_doctor::{Check, ClientCertificate, Options, Report, Target};

use crate::error::Error;

/// What to probe: `--site`, `--base-url`, or the user's own site.
pub fn target(
    profile: &Profile,
    site: Option<&str>,
    base_url: Option<&str>,
) -> Result<Target, Error> {
    match (site, base_url) {
        (_, Some(url)) => Ok(Target::base_url(url)?),
        (Some(input), None) => {
            let region: Region = profile.default_region();
            Ok(Target::site(&SiteAddress::parse(input, region)?))
        }
        (None, None) => Ok(Target::site(profile.site().ok_or(ScopeError::NoSite)?)),
    }
}

/// The budget, the Basic-auth credentials and the client certificate
/// stored for the target's host. A keyring that cannot be read means no
/// stored secrets (the checks then say what is missing).
pub fn options(
    profile: &Profile,
    target: &Target,
    budget: Duration,
    certificate: Option<&Path>,
) -> Result<Options, Error> {
    let basic_auth = tobira_secrets::basic_auth(&target.host)
        .ok()
        .flatten()
        .map(|stored| (stored.user, stored.password));
    let certificate = certificate.or(profile.settings().client_certificate.as_deref());
    let client_certificate = match certificate {
        Some(path) => {
            let password = tobira_secrets::client_cert_password(&target.host)
                .ok()
                .flatten()
                .unwrap_or_default();
            Some(ClientCertificate::load(path, &password)?)
        }
        None => None,
    };
    Ok(Options {
        budget,
        basic_auth,
        client_certificate,
    })
}

/// Runs the doctor to the end on a runtime of its own (the CLI).
pub fn run_blocking(
    target: &Target,
    options: &Options,
    on_check: &mut (dyn FnMut(&Check) + Send + Sync),
) -> Result<Report, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let report = runtime.block_on(tobira_doctor::diagnose(target, options, on_check));
    // A DNS lookup that was given up still runs on a helper thread; do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(10));
    Ok(report)
}
