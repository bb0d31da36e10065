//! The user's client certificate for secure access (`.pfx`/`.p12`): its
//! subject and expiry, checked before the probe, and used for it.

use std::path::Path;
use std::time::{Duration, SystemTime};

use base64::Engine;

use crate::detail::Detail;
use crate::error::DoctorError;
use crate::report::{Check, Status};

/// Warn this long before the certificate expires.
pub const EXPIRY_WARNING: Duration = Duration::from_secs(30 * 24 * 60 * 60);
const MAX_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Clone)]
pub struct ClientCertificate {
    pub subject: String,
    pub not_after: SystemTime,
    /// Key and chain as PEM, for the TLS client.
    identity_pem: Vec<u8>,
}

impl std::fmt::Debug for ClientCertificate {
    // Never print the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("subject", &self.subject)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

impl ClientCertificate {
    pub fn load(path: &Path, password: &str) -> Result<ClientCertificate, DoctorError> {
        let unreadable = |source: std::io::Error| DoctorError::CertificateUnreadable {
            path: path.to_owned(),
            source,
        };
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > MAX_FILE_BYTES {
            return Err(unreadable(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "the file is larger than 1 MiB, so it is not a certificate file",
            )));
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        ClientCertificate::from_pkcs12(&bytes, password).map_err(|message| {
            DoctorError::CertificateInvalid {
                path: path.to_owned(),
                message,
            }
        })
    }

    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<ClientCertificate, String> {
        let store =
            p12_keystore::KeyStore::from_pkcs12(bytes, password).map_err(|e| e.to_string())?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| "the file holds no private key with a certificate".to_owned())?;
        let leaf = chain
            .chain()
            .first()
            .ok_or_else(|| "the file holds no certificate".to_owned())?;
        let (_, parsed) =
            x509_parser::parse_x509_certificate(leaf.as_der()).map_err(|e| e.to_string())?;
        let seconds = parsed.validity().not_after.timestamp();
        let not_after =
            SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0));
        let mut pem = pem_block("PRIVATE KEY", chain.key());
        for certificate in chain.chain() {
            pem.push_str(&pem_block("CERTIFICATE", certificate.as_der()));
        }
        Ok(ClientCertificate {
            subject: leaf.subject().to_owned(),
            not_after,
            identity_pem: pem.into_bytes(),
        })
    }

    pub fn identity(&self) -> Result<reqwest::Identity, String> {
        reqwest::Identity::from_pem(&self.identity_pem).map_err(|e| e.to_string())
    }

    /// Pass, warn within 30 days of expiry, fail once expired.
    pub fn check(&self, now: SystemTime) -> (Check, Option<&'static str>) {
        let date = httpdate::fmt_http_date(self.not_after);
        match self.not_after.duration_since(now) {
            Err(_) => (
                Check::new(
                    "client-cert",
                    Status::Fail,
                    Detail::CertificateExpired {
                        subject: self.subject.clone(),
                        date,
                    },
                ),
                Some("client-cert-expired"),
            ),
            Ok(left) if left <= EXPIRY_WARNING => (
                Check::new(
                    "client-cert",
                    Status::Warn,
                    Detail::CertificateExpiring {
                        subject: self.subject.clone(),
                        days: left.as_secs() / 86_400,
                        date,
                    },
                ),
                Some("client-cert-expiring"),
            ),
            Ok(left) => (
                Check::new(
                    "client-cert",
                    Status::Pass,
                    Detail::CertificateValid {
                        subject: self.subject.clone(),
                        days: left.as_secs() / 86_400,
                    },
                ),
                None,
            ),
        }
    }
}

fn pem_block(label: &str, der: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(der);
    let mut block = format!("-----BEGIN {label}-----\n");
    for line in encoded.as_bytes().chunks(64) {
        block.push_str(std::str::from_utf8(line).unwrap_or_default());
        block.push('\n');
    }
    block.push_str(&format!("-----END {label}-----\n"));
    block
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PKCS#12 file with a self-signed certificate valid from a year ago
    /// until `valid_for` from now (negative: expired).
    pub(crate) fn pkcs12(valid_for: time::Duration, password: &str) -> Vec<u8> {
        let mut params = rcgen::CertificateParams::new(vec!["taro.example".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Taro Yamada");
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(365);
        params.not_after = now + valid_for;
        let key = rcgen::KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        let leaf = p12_keystore::Certificate::from_der(certificate.der()).unwrap();
        let chain = p12_keystore::PrivateKeyChain::new(key.serialize_der(), [1u8; 20], [leaf]);
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry("taro", p12_keystore::KeyStoreEntry::PrivateKeyChain(chain));
        store.writer(password).write().unwrap()
    }

    #[test]
    fn reads_subject_and_expiry_and_judges_them() {
        let now = SystemTime::now();
        let valid =
            ClientCertificate::from_pkcs12(&pkcs12(time::Duration::days(200), "pw"), "pw").unwrap();
        assert!(valid.subject.contains("Taro Yamada"), "{}", valid.subject);
        let (check, cause) = valid.check(now);
        assert_eq!((check.status, cause), (Status::Pass, None));
        assert!(
            check.detail().contains("199 more days") || check.detail().contains("200 more days"),
            "{}",
            check.detail()
        );
        // The key and chain make an identity the HTTP client accepts.
        assert!(valid.identity().is_ok());
        assert!(
            !format!("{valid:?}").contains("PRIVATE"),
            "Debug hides the key"
        );

        let soon =
            ClientCertificate::from_pkcs12(&pkcs12(time::Duration::days(10), ""), "").unwrap();
        let (check, cause) = soon.check(now);
        assert_eq!(
            (check.status, cause),
            (Status::Warn, Some("client-cert-expiring"))
        );
        assert!(
            check.detail().contains("expires in 9 days")
                || check.detail().contains("expires in 10 days"),
            "{}",
            check.detail()
        );

        let expired =
            ClientCertificate::from_pkcs12(&pkcs12(time::Duration::days(-3), "pw"), "pw").unwrap();
        let (check, cause) = expired.check(now);
        assert_eq!(
            (check.status, cause),
            (Status::Fail, Some("client-cert-expired"))
        );
    }

    #[test]
    fn a_wrong_password_or_a_wrong_file_is_an_error_that_says_so() {
        let file = pkcs12(time::Duration::days(100), "right");
        assert!(ClientCertificate::from_pkcs12(&file, "wrong").is_err());
        assert!(ClientCertificate::from_pkcs12(b"not a certificate", "").is_err());
        let dir = std::env::temp_dir().join(format!("tobira-cert-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("taro.p12");
        std::fs::write(&path, &file).unwrap();
        let error = ClientCertificate::load(&path, "wrong").unwrap_err();
        assert_eq!(error.code(), "client-cert-invalid");
        assert!(
            error
                .to_string()
                .contains("tobira secrets set client-cert-password"),
            "{error}"
        );
        assert_eq!(
            ClientCertificate::load(&dir.join("missing.p12"), "")
                .unwrap_err()
                .code(),
            "client-cert-unreadable"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
