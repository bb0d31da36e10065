//! Helpers shared by the black-box and end-to-end tests.
