//! The TypeScript declarations of every type the window's commands take or
//! return (and of the events' payloads), written one file per type into
//! `ui/src/bindings/`. Run through `scripts/gen-bindings.sh`, which also
//! checks that the committed files are fresh (`--check`).
//!
//! Types serialised by hand get their declaration from a shape struct
//! (beside `SiteAddress` in tobira-core and `Check` in tobira-doctor, [`ApiError`] here); the
//! tests below serialise the real value and its shape and compare them.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::{Config, TS};

use tobira_core::bookmarks::UserBookmark;
use tobira_core::deep_link::DeepLink;
use tobira_core::export::ExportFormat;
use tobira_core::policy::Diagnosis;
use tobira_core::profile::SettingChange;
use tobira_core::progress::Overlay;
use tobira_core::site::SiteAddressJson;
use tobira_core::{Region, ScopeError, SiteAddress};
use tobira_doctor::report::CheckJson;
use tobira_doctor::{Check, Detail, Status};
use tobira_guides::matcher::Outcome;
use tobira_guides::view::{AssistantView, CauseView, FlowView};
use tobira_secrets::{SecretKind, SecretsStatus};
use tobira_session::companion::state::LastSeen;
use tobira_session::report::AssistantContext;
use tobira_session::walkthroughs::{FlowList, ProgressChange};
use tobira_session::{AppView, Removed};

/// What a command rejects with: a stable code, an English message, and the
/// part of the input it is about. `tobira_session::Error` serialises so; the
/// window's own errors (window, opener, clipboard) have no detail.
#[derive(Serialize, TS)]
struct ApiError {
    code: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    detail: Option<String>,
}

/// `TS_RS_EXPORT_DIR`, else the folder the UI imports from.
fn export_dir() -> PathBuf {
    std::env::var_os("TS_RS_EXPORT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings")
        })
}

#[test]
fn export_bindings() {
    // u64 as `number`, not `bigint`: serde_json writes a JSON number, and
    // these are counts and page numbers far below 2^53.
    let cfg = Config::new()
        .with_out_dir(export_dir())
        .with_large_int("number");
    // Each with everything it refers to.
    let exports = [
        AppView::export_all,
        SiteAddress::export_all,
        SettingChange::export_all,
        Diagnosis::export_all,
        UserBookmark::export_all,
        Removed::export_all,
        ExportFormat::export_all,
        SecretsStatus::export_all,
        SecretKind::export_all,
        FlowList::export_all,
        FlowView::export_all,
        ProgressChange::export_all,
        CauseView::export_all,
        Overlay::export_all,
        tobira_doctor::Report::export_all,
        Check::export_all,
        AssistantContext::export_all,
        Outcome::export_all,
        AssistantView::export_all,
        DeepLink::export_all,
        ApiError::export_all,
        LastSeen::export_all,
    ];
    for export in exports {
        export(&cfg).expect("the bindings folder is writable");
    }
}

fn json(value: impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn site_address_is_declared_as_it_serialises() {
    let site = SiteAddress::parse("example.s.cybozu.com", Region::Jp).unwrap();
    let shape = SiteAddressJson {
        subdomain: site.subdomain().to_owned(),
        region: site.region(),
        host: site.host(),
        secure_access: site.secure_access(),
        login_url: site.login_url(),
        portal_url: site.portal_url(),
    };
    assert_eq!(json(&site), json(shape));
}

#[test]
fn check_is_declared_as_it_serialises() {
    let check = Check::new(
        "proxy",
        Status::Warn,
        Detail::ProxyUsed {
            proxy: "http://proxy.example:8080".into(),
        },
    );
    let shape = CheckJson {
        id: check.id.to_owned(),
        status: check.status,
        detail: check.detail(),
    };
    assert_eq!(json(&check), json(shape));
}

#[test]
fn errors_are_declared_as_they_serialise() {
    let with_detail =
        tobira_session::Error::from(SiteAddress::parse("a.b.cybozu.com", Region::Jp).unwrap_err());
    let without_detail = tobira_session::Error::from(ScopeError::NoSite);
    for error in [with_detail, without_detail] {
        let shape = ApiError {
            code: error.code().to_owned(),
            message: error.to_string(),
            detail: error.detail(),
        };
        assert_eq!(json(&error), json(shape));
    }
}
