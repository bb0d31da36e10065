//! Black-box tests of the `tobira` command, one module per area, all in one
//! test binary (one link, one run) that runs the program cargo built for it.

mod program;

mod bookmarks;
mod companion;
mod doctor;
mod guides;
mod hostile;
mod policy;
mod secrets;
mod site;
mod sites;
mod troubleshoot;
