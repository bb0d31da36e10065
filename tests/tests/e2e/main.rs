//! End-to-end journeys through the real app window (WebKitGTK under Xvfb),
//! one module per group of journeys. Each step saves a screenshot under
//! `target/e2e/`.
//!
//! Run: `cargo test -p tobira-tests --test e2e -- --ignored` (needs the
//! built window, `cargo build -p tobira-window`, `WebKitWebDriver` and
//! `Xvfb`; `setup.sh test` does it all).

mod support;

mod assistant;
mod companion;
mod desktop;
mod doctor;
mod home;
mod settings;
mod setup;
mod walkthroughs;
