//! Where the app runs: WeChat (or WeCom) and iOS or Android, from the user agent, in one place.

/// The browser the follower is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Platform {
    /// WeChat's in-app browser (WeCom's counts too: it has the same JS-SDK).
    pub in_wechat: bool,
    /// WeCom (企业微信) specifically.
    pub in_wecom: bool,
    pub ios: bool,
    pub android: bool,
}

impl Platform {
    pub fn from_user_agent(ua: &str) -> Platform {
        let lower = ua.to_ascii_lowercase();
        let in_wecom = lower.contains("wxwork");
        Platform {
            in_wechat: lower.contains("micromessenger") || in_wecom,
            in_wecom,
            ios: lower.contains("iphone") || lower.contains("ipad") || lower.contains("ipod"),
            android: lower.contains("android"),
        }
    }

    /// The platform of this browser.
    pub fn detect() -> Platform {
        let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
        Platform::from_user_agent(&ua)
    }
}

/// The URL the JS-SDK signature must cover: WeChat on iOS verifies the page the follower
/// first landed on (pushState does not change it), Android the current one; never the `#` part.
pub fn url_to_sign(platform: Platform, landing_url: &str, current_url: &str) -> String {
    let url = if platform.ios { landing_url } else { current_url };
    url.split('#').next().unwrap_or_default().to_owned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const IOS_WECHAT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN";
    const ANDROID_WECHAT: &str = "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220133 MMWEBSDK/20240301 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/5G Language/zh_CN ABI/arm64";
    const WECOM: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light";
    const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    #[test]
    fn recognises_wechat_wecom_and_the_rest() {
        let ios = Platform::from_user_agent(IOS_WECHAT);
        assert!(ios.in_wechat && ios.ios && !ios.android && !ios.in_wecom);
        let android = Platform::from_user_agent(ANDROID_WECHAT);
        assert!(android.in_wechat && android.android && !android.ios);
        let wecom = Platform::from_user_agent(WECOM);
        assert!(wecom.in_wechat && wecom.in_wecom);
        let safari = Platform::from_user_agent(SAFARI);
        assert!(!safari.in_wechat && safari.ios);
        assert_eq!(Platform::from_user_agent(""), Platform::default());
    }

    #[test]
    fn ios_signs_the_landing_url_and_android_the_current_one() {
        let landing = "https://m.example.com/?from=menu#top";
        let current = "https://m.example.com/cart?x=1#lines";
        let ios = Platform::from_user_agent(IOS_WECHAT);
        let android = Platform::from_user_agent(ANDROID_WECHAT);
        assert_eq!(url_to_sign(ios, landing, current), "https://m.example.com/?from=menu");
        assert_eq!(url_to_sign(android, landing, current), "https://m.example.com/cart?x=1");
    }
}
