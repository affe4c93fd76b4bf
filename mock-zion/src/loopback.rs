//! What "on this machine" means for a URL: its host is `localhost` or a loopback address.
//! Nothing mock-zion or the harness talks to may be anywhere else.

/// Whether `url`'s host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
///
/// ```
/// use mock_zion::loopback::is_loopback;
/// let url = |s: &str| url::Url::parse(s).unwrap();
/// assert!(is_loopback(&url("http://127.0.0.1:3000/notify")));
/// assert!(is_loopback(&url("http://LocalHost:5173/")));
/// assert!(is_loopback(&url("http://[::1]:8080/")));
/// assert!(!is_loopback(&url("https://shop.example.com/")));
/// ```
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
