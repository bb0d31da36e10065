//! The user's sites: their own (optional) and the sites of other companies
//! they are a guest in. A guest space lives on the inviting company's site,
//! so a guest may have no kintone of their own, or their own and several.

use crate::bookmarks::{self, BookmarkError};
use crate::language::Language;
use crate::settings::{GuestSite, Settings};
use crate::site::{Region, SiteAddress, SiteError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SitesError {
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(
        "your organisation does not allow adding other companies' sites; ask your IT department"
    )]
    GuestSitesNotAllowed,
    #[error("{0} is your own site already")]
    OwnSite(String),
    #[error("{0} is not one of your sites; `tobira sites list` shows them")]
    NotAdded(String),
}

crate::error_codes!(SitesError {
    Self::GuestSitesNotAllowed => "guest-sites-not-allowed",
    Self::OwnSite(_) => "own-site",
    Self::NotAdded(_) => "site-not-added",
} wrapped {
    Self::Site(e) => e.code(),
});

/// Adds the site of `input` (an address, a guest-space or invitation link)
/// as one the user is a guest in; adding it again changes nothing.
pub fn add_guest(
    settings: &mut Settings,
    input: &str,
    default_region: Region,
    allowed: bool,
) -> Result<SiteAddress, SitesError> {
    if !allowed {
        return Err(SitesError::GuestSitesNotAllowed);
    }
    let site = SiteAddress::parse(input, default_region)?;
    if settings.site.as_ref() == Some(&site) {
        return Err(SitesError::OwnSite(site.host()));
    }
    if !settings.guest_sites.iter().any(|g| g.host == site) {
        settings.guest_sites.push(GuestSite {
            host: site.clone(),
            bookmarks: Vec::new(),
        });
    }
    Ok(site)
}

/// Forgets a guest site and its bookmarks.
pub fn remove_guest(settings: &mut Settings, host: &str) -> Result<GuestSite, SitesError> {
    let wanted = host.trim().to_ascii_lowercase();
    let index = settings
        .guest_sites
        .iter()
        .position(|g| g.host.host() == wanted)
        .ok_or_else(|| SitesError::NotAdded(host.to_owned()))?;
    Ok(settings.guest_sites.remove(index))
}

/// Adds a bookmark to the list of the site the address belongs to: a guest
/// site's page to that site, anything else to the user's own site (`own`:
/// the site in force, which the organisation may have locked).
pub fn add_bookmark(
    settings: &mut Settings,
    own: Option<&SiteAddress>,
    input: &str,
    name: Option<&str>,
    language: Language,
) -> Result<(), BookmarkError> {
    let host = url::Url::parse(input.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    if let Some(guest) = settings
        .guest_sites
        .iter_mut()
        .find(|g| host.as_deref() == Some(g.host.host().as_str()))
    {
        let site = guest.host.clone();
        bookmarks::add(&mut guest.bookmarks, input, name, &site, language)?;
        return Ok(());
    }
    let site = match (own, settings.guest_sites.as_slice()) {
        (Some(site), _) => site.clone(),
        // No site of their own: a path is a page of their one guest site.
        (None, [only]) => {
            let site = only.host.clone();
            let guest = &mut settings.guest_sites[0];
            bookmarks::add(&mut guest.bookmarks, input, name, &site, language)?;
            return Ok(());
        }
        (None, _) => return Err(BookmarkError::NoSite),
    };
    bookmarks::add(&mut settings.bookmarks, input, name, &site, language)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine() -> Settings {
        Settings {
            site: Some(SiteAddress::parse("example", Region::Jp).unwrap()),
            ..Settings::default()
        }
    }

    #[test]
    fn a_guest_link_adds_the_inviting_companys_site_once() {
        let mut settings = mine();
        let link = "https://partner.cybozu.com/k/guest/7/#/space/7";
        let site = add_guest(&mut settings, link, Region::Jp, true).unwrap();
        assert_eq!(site.host(), "partner.cybozu.com");
        add_guest(&mut settings, "partner", Region::Jp, true).unwrap();
        assert_eq!(settings.guest_sites.len(), 1);
        assert_eq!(
            add_guest(&mut settings, "example", Region::Jp, true)
                .unwrap_err()
                .code(),
            "own-site"
        );
        assert_eq!(
            add_guest(
                &mut settings,
                "partner.cybozu.com.evil.test",
                Region::Jp,
                true
            )
            .unwrap_err()
            .code(),
            "lookalike-domain"
        );
        assert_eq!(
            add_guest(&mut settings, "other", Region::Jp, false)
                .unwrap_err()
                .code(),
            "guest-sites-not-allowed"
        );
        assert_eq!(
            remove_guest(&mut settings, "PARTNER.cybozu.com")
                .unwrap()
                .host,
            site
        );
        assert_eq!(
            remove_guest(&mut settings, "partner.cybozu.com")
                .unwrap_err()
                .code(),
            "site-not-added"
        );
    }

    #[test]
    fn a_bookmark_goes_to_the_site_it_belongs_to() {
        let mut settings = mine();
        add_guest(&mut settings, "partner", Region::Jp, true).unwrap();
        let own = settings.site.clone();
        let space = "https://partner.cybozu.com/k/guest/7/#/space/7";
        add_bookmark(&mut settings, own.as_ref(), space, None, Language::En).unwrap();
        add_bookmark(&mut settings, own.as_ref(), "/k/12/", None, Language::En).unwrap();
        assert_eq!(
            settings.guest_sites[0].bookmarks[0].path,
            "/k/guest/7/#/space/7"
        );
        assert_eq!(settings.bookmarks[0].path, "/k/12/");
        let other = "https://other.cybozu.com/k/";
        assert!(add_bookmark(&mut settings, own.as_ref(), other, None, Language::En).is_err());

        let mut guest_only = Settings::default();
        add_guest(&mut guest_only, "partner", Region::Jp, true).unwrap();
        add_bookmark(
            &mut guest_only,
            None,
            "/k/guest/7/",
            Some("Project"),
            Language::En,
        )
        .unwrap();
        assert_eq!(guest_only.guest_sites[0].bookmarks[0].name, "Project");
    }
}
