//! What a check saw, as data: the window and the CLI say it in the user's
//! language ([`Detail::text`]). Values such as hosts, paths and library
//! error messages are shown as they are.

use tobira_core::Language;

/// Where the connection went: straight to the site, or to a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Site,
    Proxy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    ProxyUsed {
        proxy: String,
    },
    IpAddress {
        ip: String,
    },
    Resolved {
        host: String,
        addresses: String,
    },
    NoAddress {
        host: String,
    },
    NameUnknown {
        host: String,
    },
    /// The site's name failed, but a name that always exists resolves.
    NetworkWorks {
        control: String,
    },
    /// Not even a name that always exists resolves, or no route at all.
    NoNetwork {
        control: String,
    },
    /// The network has no way to the site at all.
    NoRoute {
        via: Via,
        endpoint: String,
    },
    NoDnsAnswer {
        host: String,
        ms: u128,
    },
    Accepts {
        via: Via,
        address: String,
    },
    Refused {
        via: Via,
        endpoint: String,
    },
    NoConnectionWithin {
        via: Via,
        endpoint: String,
        ms: u128,
    },
    ConnectionError {
        via: Via,
        endpoint: String,
        error: String,
    },
    ClientFailed {
        error: String,
    },
    CertificateInvalid {
        host: String,
        error: String,
    },
    HandshakeUnknown,
    Encrypted,
    PlainLocal,
    SecureConnectionFailed {
        error: String,
    },
    ConnectionFailed {
        error: String,
    },
    NoAnswerWithin {
        ms: u128,
    },
    NotHttp {
        error: String,
    },
    RedirectLoop {
        trail: String,
    },
    TooManyRedirects {
        max: usize,
    },
    SecureAccessWithCertificate {
        host: String,
    },
    SecureAccessNeedsCertificate {
        host: String,
    },
    OwnSignInPage {
        host: String,
    },
    RedirectNotFollowed {
        to: String,
    },
    /// What was seen on one page (`path`).
    OnPage {
        path: String,
        seen: Box<Detail>,
    },
    AsksForBasicAuth,
    PageSays {
        text: String,
    },
    CertificateDemanded {
        status: u16,
    },
    NetworkNotAllowed,
    NoSiteHere,
    PageTooLarge {
        status: u16,
        kib: usize,
    },
    PageAnswered {
        status: u16,
    },
    ServerAnswered {
        status: u16,
    },
    BasicAuthNotStored,
    BasicAuthRefused {
        host: String,
    },
    BasicAuthAccepted {
        user: String,
    },
    NoServerTime,
    ClockOff {
        seconds: u64,
        behind: bool,
    },
    ClockAgrees {
        seconds: u64,
    },
    CertificateExpired {
        subject: String,
        date: String,
    },
    CertificateExpiring {
        subject: String,
        days: u64,
        date: String,
    },
    CertificateValid {
        subject: String,
        days: u64,
    },
    SkippedNoName,
    SkippedNoConnection,
    SkippedNoClient,
    SkippedNoSecureConnection,
    SkippedNoAnswer,
}

impl Detail {
    /// One plain sentence in `language`: what was seen, and for a problem
    /// what it means or what to do.
    pub fn text(&self, language: Language) -> String {
        use Detail::*;
        let ja = language == Language::Ja;
        let pick = |ja_text: String, en_text: String| if ja { ja_text } else { en_text };
        match self {
            ProxyUsed { proxy } => pick(
                format!("接続はプロキシ {proxy} を経由します（HTTPS_PROXY/HTTP_PROXY の設定）。以下の確認が失敗するときは、プロキシが妨げているかもしれません"),
                format!("connections go through the proxy {proxy} (from HTTPS_PROXY/HTTP_PROXY); if the checks below fail, the proxy may be in the way"),
            ),
            IpAddress { ip } => pick(
                format!("{ip} は IP アドレスなので、名前の解決は不要です"),
                format!("{ip} is an IP address; no lookup needed"),
            ),
            Resolved { host, addresses } => pick(
                format!("{host} のアドレスは {addresses} です"),
                format!("{host} is {addresses}"),
            ),
            NoAddress { host } => pick(
                format!("{host} にはアドレスがありません。サブドメインの綴りを確かめてください"),
                format!("{host} has no address; check the spelling of the subdomain"),
            ),
            NameUnknown { host } => pick(
                format!("{host} という名前は存在しないか、調べられませんでした。サブドメインの綴りとネットワークを確かめてください"),
                format!("the name {host} does not exist or could not be looked up; check the spelling of the subdomain and the network"),
            ),
            NetworkWorks { control } => pick(
                format!("ネットワークは使えます（{control} は見つかります）。サイトの名前だけが見つからないので、アドレスの綴りを確かめてください"),
                format!("the network works ({control} resolves): only your site's name is not found, so check the spelling of the address"),
            ),
            NoNetwork { control } => pick(
                format!("{control} のようにいつもある名前も見つかりません。このコンピューターはネットワークにつながっていないか、名前を調べられない状態です（Wi-Fi、VPN、ホテルなどのログイン画面を確かめてください）"),
                format!("not even {control}, a name that always exists, can be found: this computer has no working network or name service (check Wi-Fi, the VPN, or a hotel or café login page)"),
            ),
            NoRoute { endpoint, .. } => pick(
                format!("{endpoint} への経路がありません。このコンピューターはネットワークにつながっていないようです（Wi-Fi や VPN を確かめてください）"),
                format!("there is no route to {endpoint}: this computer seems to have no network (check Wi-Fi or the VPN)"),
            ),
            NoDnsAnswer { host, ms } => pick(
                format!("{ms} ミリ秒以内に {host} の DNS の応答がありませんでした"),
                format!("no DNS answer for {host} within {ms} ms"),
            ),
            Accepts { via, address } => pick(
                format!("{}は {address} で接続を受け付けています", via.ja()),
                format!("{} accepts connections at {address}", via.en()),
            ),
            Refused { via, endpoint } => pick(
                format!("{}（{endpoint}）への接続が拒否されました。そのポートでは何も応答していません（アドレスの誤りか、ファイアウォール）", via.ja()),
                format!("{} at {endpoint}: the connection was refused: nothing answers on that port (a wrong address, or a firewall)", via.en()),
            ),
            NoConnectionWithin { via, endpoint, ms } => pick(
                format!("{}（{endpoint}）に {ms} ミリ秒以内に接続できませんでした。ファイアウォールが遮断しているかもしれません", via.ja()),
                format!("{} at {endpoint}: no connection within {ms} ms; a firewall may drop it", via.en()),
            ),
            ConnectionError { via, endpoint, error } => pick(
                format!("{}（{endpoint}）に接続できませんでした：{error}", via.ja()),
                format!("{} at {endpoint}: {error}", via.en()),
            ),
            ClientFailed { error } => pick(
                format!("HTTP クライアントを開始できませんでした：{error}"),
                format!("the HTTP client could not start: {error}"),
            ),
            CertificateInvalid { host, error } => pick(
                format!("{host} の証明書または暗号化された接続が正しくありません：{error}。通信を検査する社内のプロキシが原因のこともあります"),
                format!("the certificate or the secure connection of {host} is not valid: {error}; a company proxy that inspects traffic can cause this"),
            ),
            HandshakeUnknown => pick(
                "不明：暗号化の確認が終わる前に接続が切れました".into(),
                "not known: the connection ended before the handshake was confirmed".into(),
            ),
            Encrypted => pick(
                "証明書は有効で、接続は暗号化されています".into(),
                "the certificate is valid and the connection is encrypted".into(),
            ),
            PlainLocal => pick(
                "このコンピューターへの暗号化なしの http（テスト用）".into(),
                "plain http to this computer (testing only)".into(),
            ),
            SecureConnectionFailed { error } => pick(
                format!("暗号化された接続に失敗しました：{error}"),
                format!("the secure connection failed: {error}"),
            ),
            ConnectionFailed { error } => pick(
                format!("接続に失敗しました：{error}"),
                format!("the connection failed: {error}"),
            ),
            NoAnswerWithin { ms } => pick(
                format!("{ms} ミリ秒以内に応答がありませんでした。サーバーかネットワークが遅すぎるか、途中の何かが接続を切っています"),
                format!("no answer within {ms} ms; the server or the network is too slow, or something in between drops the connection"),
            ),
            NotHttp { error } => pick(
                format!("サーバーが HTTP で応答しませんでした（{error}）。このアドレスでは別のものが動いています"),
                format!("the server did not answer with HTTP ({error}); something else listens at this address"),
            ),
            RedirectLoop { trail } => pick(
                format!("サイトの転送がループしています（{trail}）。ブラウザーでこのサイトの Cookie を削除するか、管理者に相談してください"),
                format!("the site redirects in a loop ({trail}); clear the browser's cookies for it, or ask your administrator"),
            ),
            TooManyRedirects { max } => pick(
                format!("転送が {max} 回を超えたため、Tobira は追うのをやめました"),
                format!("more than {max} redirects; Tobira stopped following them"),
            ),
            SecureAccessWithCertificate { host } => pick(
                format!("このサイトはセキュアアクセス（{host}）を使っています。クライアント証明書は設定済みです"),
                format!("the site uses secure access ({host}); your client certificate is set up"),
            ),
            SecureAccessNeedsCertificate { host } => pick(
                format!("サイトはセキュアアクセスのアドレス {host} に転送します。ブラウザーにクライアント証明書を入れる必要があります"),
                format!("the site sends you to its secure-access address {host}: a client certificate must be installed in the browser"),
            ),
            OwnSignInPage { host } => pick(
                format!("ログインは {host}（組織独自のログイン画面、SAML／シングルサインオン）で行います。IT 部門から渡されたアカウントを使ってください"),
                format!("sign-in happens at {host}, your organisation's own sign-in page (SAML / single sign-on); use the account your IT department gave you"),
            ),
            RedirectNotFollowed { to } => pick(
                format!("サイトは {to} に転送しますが、Tobira はその転送を追いません"),
                format!("the site redirects to {to}, which Tobira does not follow"),
            ),
            OnPage { path, seen } => format!("{path}: {}", seen.text(language)),
            AsksForBasicAuth => pick(
                "ログイン画面の前に、サーバーが Basic 認証のユーザー名とパスワードを求めています".into(),
                "the server asks for a Basic-authentication user name and password before the login page".into(),
            ),
            PageSays { text } => pick(
                format!("ページに「{text}」と表示されています"),
                format!("the page says 「{text}」"),
            ),
            CertificateDemanded { status } => pick(
                format!("ステータス {status}：クライアント証明書が必要です"),
                format!("status {status}: a client certificate is required"),
            ),
            NetworkNotAllowed => pick(
                "ステータス 403：このネットワーク（IP アドレス）からのアクセスは許可されていません".into(),
                "status 403: access from this network (IP address) is not allowed".into(),
            ),
            NoSiteHere => pick(
                "ステータス 404：このアドレスに kintone のサイトはありません".into(),
                "status 404: there is no kintone site at this address".into(),
            ),
            PageTooLarge { status, kib } => pick(
                format!("HTTP {status}。ただしページが {kib} KiB より大きいため、先頭だけを読みました"),
                format!("HTTP {status}, but the page is larger than {kib} KiB; only its start was read"),
            ),
            PageAnswered { status } => pick(
                format!("HTTP {status}。ページが応答しました"),
                format!("HTTP {status}, the page answered"),
            ),
            ServerAnswered { status } => pick(
                format!("サーバーが HTTP {status} を返しました"),
                format!("the server answered HTTP {status}"),
            ),
            BasicAuthNotStored => pick(
                "Basic 認証のユーザー名とパスワードが保存されていません。管理者に尋ねて、設定（または `tobira secrets set basic-auth`）で保存してください".into(),
                "no Basic-authentication user name and password are stored; ask your administrator for them and store them in Settings (or `tobira secrets set basic-auth`)".into(),
            ),
            BasicAuthRefused { host } => pick(
                format!("保存されている {host} のユーザー名とパスワードは拒否されました。管理者に現在のものを尋ねてください"),
                format!("the stored user name and password for {host} were refused; ask your administrator for the current ones"),
            ),
            BasicAuthAccepted { user } => pick(
                format!("保存されているユーザー名「{user}」で通りました"),
                format!("the stored user name \"{user}\" was accepted"),
            ),
            NoServerTime => pick(
                "サイトから比べられる時刻が届きませんでした".into(),
                "the site sent no time to compare with".into(),
            ),
            ClockOff { seconds, behind } => pick(
                format!(
                    "このコンピューターの時計はサイトより {seconds} 秒{}います。認証アプリのコードは拒否されます。日付と時刻を自動で合わせる設定にしてください",
                    if *behind { "遅れて" } else { "進んで" }
                ),
                format!(
                    "this computer's clock is {seconds} s {} the site's; codes from an authenticator app will be refused — set the date and time to update automatically",
                    if *behind { "behind" } else { "ahead of" }
                ),
            ),
            ClockAgrees { seconds } => pick(
                format!("このコンピューターの時計はサイトと合っています（差は {seconds} 秒以内）"),
                format!("this computer's clock agrees with the site's (within {seconds} s)"),
            ),
            CertificateExpired { subject, date } => pick(
                format!("{subject} は {date} に有効期限が切れました。管理者に新しい証明書を頼んでください"),
                format!("{subject} expired on {date}; ask your administrator for a new one"),
            ),
            CertificateExpiring { subject, days, date } => pick(
                format!("{subject} はあと {days} 日（{date}）で有効期限が切れます。早めに管理者に新しい証明書を頼んでください"),
                format!("{subject} expires in {days} days ({date}); ask your administrator for a new one in time"),
            ),
            CertificateValid { subject, days } => pick(
                format!("{subject} はあと {days} 日有効です"),
                format!("{subject} is valid for {days} more days"),
            ),
            SkippedNoName => pick(
                "実行しませんでした：名前が解決できませんでした".into(),
                "skipped: the name did not resolve".into(),
            ),
            SkippedNoConnection => pick(
                "実行しませんでした：接続できませんでした".into(),
                "skipped: no connection".into(),
            ),
            SkippedNoClient => pick(
                "実行しませんでした：HTTP クライアントがありません".into(),
                "skipped: no HTTP client".into(),
            ),
            SkippedNoSecureConnection => pick(
                "実行しませんでした：暗号化された接続ができませんでした".into(),
                "skipped: no secure connection".into(),
            ),
            SkippedNoAnswer => pick(
                "実行しませんでした：サイトが応答しませんでした".into(),
                "skipped: the site did not answer".into(),
            ),
        }
    }
}

impl Via {
    fn en(self) -> &'static str {
        match self {
            Via::Site => "the site",
            Via::Proxy => "the proxy",
        }
    }

    fn ja(self) -> &'static str {
        match self {
            Via::Site => "サイト",
            Via::Proxy => "プロキシ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_the_same_values_in_both_languages() {
        let detail = Detail::OnPage {
            path: "/k/".into(),
            seen: Box::new(Detail::PageSays {
                text: "不正なリクエストです".into(),
            }),
        };
        assert_eq!(
            detail.text(Language::En),
            "/k/: the page says 「不正なリクエストです」"
        );
        assert_eq!(
            detail.text(Language::Ja),
            "/k/: ページに「不正なリクエストです」と表示されています"
        );
        let clock = Detail::ClockOff {
            seconds: 600,
            behind: true,
        };
        assert!(clock.text(Language::Ja).contains("600 秒遅れて"));
        assert!(clock.text(Language::En).contains("600 s behind"));
    }
}
