//! Secrets live only in the OS keyring (Secret Service on Linux, Credential
//! Manager on Windows, Keychain on macOS), never in a file. When there is no
//! keyring, storing fails with [`SecretError::NoKeyring`] and the caller
//! offers not to store the secret: there is no fallback to a plain file.
//!
//! Entries are per kintone host: `basic-auth@HOST` holds `user:password`
//! (the same shape as HTTP Basic authentication, whose user names cannot
//! contain ':'), `client-cert@HOST` holds the certificate's password.

use serde::Serialize;

/// The keyring "service" all of Tobira's entries are filed under.
pub const SERVICE: &str = "dev.tobira.desktop";

/// What kinds of secret Tobira keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    /// The user name and password of a Basic-authentication layer in front
    /// of the kintone site.
    BasicAuth,
    /// The password of the user's client certificate file (.pfx / .p12).
    ClientCertPassword,
}

impl SecretKind {
    fn entry_name(self, host: &str) -> String {
        match self {
            SecretKind::BasicAuth => format!("basic-auth@{host}"),
            SecretKind::ClientCertPassword => format!("client-cert@{host}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    #[error("no keyring is available on this computer ({0}), so Tobira cannot store this secret safely; it is not stored anywhere, and you will have to type it when it is needed")]
    NoKeyring(#[source] keyring::Error),
    #[error("the keyring refused the request: {0}; unlock your keyring (it may be asking for your login password) and try again")]
    Keyring(#[source] keyring::Error),
    #[error(
        "the user name may not contain ':' or line breaks (Basic authentication cannot carry them)"
    )]
    BadUserName,
    #[error("enter the password; an empty password is not stored")]
    EmptyPassword,
}

impl SecretError {
    /// Every code [`SecretError::code`] returns; the UI words each as
    /// `error.<code>` (the test below keeps the two in step).
    pub const CODES: &'static [&'static str] = &[
        "no-keyring",
        "keyring-failed",
        "secret-bad-user",
        "secret-empty",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            SecretError::NoKeyring(_) => "no-keyring",
            SecretError::Keyring(_) => "keyring-failed",
            SecretError::BadUserName => "secret-bad-user",
            SecretError::EmptyPassword => "secret-empty",
        }
    }
}

/// Sorts keyring errors into "there is no keyring" and everything else.
/// The keyring's own messages never contain the secret.
fn classify(error: keyring::Error) -> SecretError {
    match error {
        keyring::Error::NoDefaultStore
        | keyring::Error::NoStorageAccess(_)
        | keyring::Error::PlatformFailure(_) => SecretError::NoKeyring(error),
        other => SecretError::Keyring(other),
    }
}

fn entry(kind: SecretKind, host: &str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(SERVICE, &kind.entry_name(host)).map_err(classify)
}

/// Credentials for a Basic-authentication layer.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicAuth {
    pub user: String,
    pub password: String,
}

// Debug never shows the password, so a stray `{:?}` cannot leak it.
impl std::fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicAuth")
            .field("user", &self.user)
            .field("password", &"<hidden>")
            .finish()
    }
}

pub fn store_basic_auth(host: &str, user: &str, password: &str) -> Result<(), SecretError> {
    if user.contains([':', '\n', '\r']) {
        return Err(SecretError::BadUserName);
    }
    if password.is_empty() {
        return Err(SecretError::EmptyPassword);
    }
    entry(SecretKind::BasicAuth, host)?
        .set_password(&format!("{user}:{password}"))
        .map_err(classify)
}

pub fn basic_auth(host: &str) -> Result<Option<BasicAuth>, SecretError> {
    Ok(read(SecretKind::BasicAuth, host)?.and_then(|stored| {
        let (user, password) = stored.split_once(':')?;
        Some(BasicAuth {
            user: user.to_owned(),
            password: password.to_owned(),
        })
    }))
}

pub fn store_client_cert_password(host: &str, password: &str) -> Result<(), SecretError> {
    if password.is_empty() {
        return Err(SecretError::EmptyPassword);
    }
    entry(SecretKind::ClientCertPassword, host)?
        .set_password(password)
        .map_err(classify)
}

pub fn client_cert_password(host: &str) -> Result<Option<String>, SecretError> {
    read(SecretKind::ClientCertPassword, host)
}

fn read(kind: SecretKind, host: &str) -> Result<Option<String>, SecretError> {
    match entry(kind, host)?.get_password() {
        Ok(value) => Ok(Some(value)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(classify(e)),
    }
}

/// Deletes the secret; deleting one that is not there is not an error.
pub fn delete(kind: SecretKind, host: &str) -> Result<(), SecretError> {
    match entry(kind, host)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(classify(e)),
    }
}

/// What is stored for a host, without any secret value: safe to show and to
/// put in a support report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SecretsStatus {
    pub keyring_available: bool,
    /// Why the keyring cannot be used, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub keyring_problem: Option<String>,
    /// The Basic-auth user name, if credentials are stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub basic_auth_user: Option<String>,
    pub client_cert_password_stored: bool,
}

pub fn status(host: &str) -> SecretsStatus {
    let unavailable = |e: SecretError| SecretsStatus {
        keyring_available: false,
        keyring_problem: Some(e.to_string()),
        basic_auth_user: None,
        client_cert_password_stored: false,
    };
    let basic = match basic_auth(host) {
        Ok(basic) => basic,
        Err(e) => return unavailable(e),
    };
    let cert = match client_cert_password(host) {
        Ok(cert) => cert,
        Err(e) => return unavailable(e),
    };
    SecretsStatus {
        keyring_available: true,
        keyring_problem: None,
        basic_auth_user: basic.map(|b| b.user),
        client_cert_password_stored: cert.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs against the real keyring of the session: under CI that is
    /// gnome-keyring in `dbus-run-session`; with no keyring it checks that
    /// storing fails with `NoKeyring` and nothing is pretended.
    #[test]
    fn round_trip_or_a_clear_no_keyring() {
        let host = format!("unit-{}.cybozu.com", std::process::id());
        match store_basic_auth(&host, "proxy-user", "pa:ss word") {
            Ok(()) => {
                let got = basic_auth(&host).unwrap().unwrap();
                assert_eq!(got.user, "proxy-user");
                assert_eq!(got.password, "pa:ss word", "':' in the password survives");
                store_client_cert_password(&host, "cert-pw").unwrap();
                let stored = status(&host);
                assert!(stored.keyring_available);
                assert_eq!(stored.basic_auth_user.as_deref(), Some("proxy-user"));
                assert!(stored.client_cert_password_stored);
                delete(SecretKind::BasicAuth, &host).unwrap();
                delete(SecretKind::ClientCertPassword, &host).unwrap();
                delete(SecretKind::ClientCertPassword, &host).unwrap();
                assert_eq!(basic_auth(&host).unwrap(), None);
                assert!(!status(&host).client_cert_password_stored);
            }
            Err(SecretError::NoKeyring(why)) => {
                // CI runs a real Secret Service and sets this, so the round
                // trip above cannot be skipped there by accident.
                assert!(
                    std::env::var_os("TOBIRA_REQUIRE_KEYRING").is_none(),
                    "TOBIRA_REQUIRE_KEYRING is set but there is no keyring: {why}"
                );
                assert!(!why.to_string().is_empty());
                assert!(!status(&host).keyring_available);
            }
            Err(other) => panic!("unexpected keyring error: {other}"),
        }
    }

    #[test]
    fn refuses_what_basic_auth_cannot_carry() {
        assert!(matches!(
            store_basic_auth("x.cybozu.com", "a:b", "pw"),
            Err(SecretError::BadUserName)
        ));
        assert!(matches!(
            store_basic_auth("x.cybozu.com", "a", ""),
            Err(SecretError::EmptyPassword)
        ));
    }

    #[test]
    fn codes_lists_every_code_in_order() {
        let one_of_each = [
            SecretError::NoKeyring(keyring::Error::NoDefaultStore),
            SecretError::Keyring(keyring::Error::NoEntry),
            SecretError::BadUserName,
            SecretError::EmptyPassword,
        ];
        // A new variant fails to compile here until it is listed above.
        for error in &one_of_each {
            match error {
                SecretError::NoKeyring(_)
                | SecretError::Keyring(_)
                | SecretError::BadUserName
                | SecretError::EmptyPassword => {}
            }
        }
        let codes: Vec<&str> = one_of_each.iter().map(SecretError::code).collect();
        assert_eq!(codes, SecretError::CODES);
    }

    #[test]
    fn debug_hides_the_password() {
        let text = format!(
            "{:?}",
            BasicAuth {
                user: "u".into(),
                password: "hunter2".into()
            }
        );
        assert!(!text.contains("hunter2"), "{text}");
    }
}
