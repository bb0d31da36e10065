//! The doctor: looks at the user's kintone site the way a browser would,
//! with hard time limits, and names why login fails (cause ids from
//! `causes.md`). No Tauri; the CLI and the window both call [`diagnose`].

pub mod classify;
pub mod client_cert;
mod detail;
mod error;
pub mod probe;
mod proxy;
pub mod report;
pub mod target;

pub use client_cert::ClientCertificate;
pub use detail::{Detail, Via};
pub use error::DoctorError;
pub use probe::{diagnose, Options, DEFAULT_BUDGET};
pub use report::{Check, Finding, Report, Status};
pub use target::Target;
