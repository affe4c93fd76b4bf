//! The page-pay form, byte for byte in the shape Alipay's official Node SDK (`alipay-sdk`
//! v4, `pageExecute(method, 'POST', …)`) emits it — see PROTOCOLS.md, "Form".
//!
//! Common parameters travel in the action URL, in the SDK's order (`method app_id charset
//! version sign_type timestamp return_url notify_url sign`); `alipay_sdk` and `biz_content`
//! are hidden inputs whose values escape only `"` (as `&quot;`), as the SDK does. That is
//! exactly why an app must write this HTML as it is: any rebuild that re-escapes, reformats
//! or truncates `biz_content` changes the signed text.

use super::keys::KeyPair;
use super::sign::{sign_content, Purpose};

/// The SDK name and version the form claims, part of the signed string.
pub const ALIPAY_SDK: &str = "alipay-sdk-nodejs-4.0.0";

/// What a page-pay request carries.
#[derive(Debug, Clone)]
pub struct PagePay<'a> {
    /// Where the form posts (the gateway).
    pub gateway: &'a str,
    /// The merchant's app id.
    pub app_id: &'a str,
    /// Where the browser returns after paying.
    pub return_url: &'a str,
    /// Where Alipay notifies the merchant's backend.
    pub notify_url: &'a str,
    /// `biz_content` as JSON text.
    pub biz_content: &'a str,
    /// `yyyy-MM-dd HH:mm:ss`, GMT+8.
    pub timestamp: &'a str,
    /// Makes the form's name unique (the SDK uses the current time in ms).
    pub form_id: u128,
}

impl PagePay<'_> {
    /// The URL parameters, signed, in the SDK's order.
    pub fn url_params(&self, key: &KeyPair) -> Vec<(&'static str, String)> {
        let mut params: Vec<(&'static str, String)> = vec![
            ("method", "alipay.trade.page.pay".into()),
            ("app_id", self.app_id.into()),
            ("charset", "utf-8".into()),
            ("version", "1.0".into()),
            ("sign_type", "RSA2".into()),
            ("timestamp", self.timestamp.into()),
            ("return_url", self.return_url.into()),
            ("notify_url", self.notify_url.into()),
        ];
        let content = sign_content(
            params.iter().map(|(k, v)| (*k, v.as_str())).chain([
                ("alipay_sdk", ALIPAY_SDK),
                ("biz_content", self.biz_content),
            ]),
            Purpose::Request,
        );
        params.push(("sign", key.sign(&content)));
        params
    }

    /// The whole HTML: the form and its auto-submit script.
    pub fn html(&self, key: &KeyPair) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.url_params(key) {
            query.append_pair(k, &v);
        }
        let action = format!("{}?{}", self.gateway, query.finish());
        let name = format!("alipaySDKSubmit{}", self.form_id);
        let input = |name: &str, value: &str| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\" />",
                value.replace('"', "&quot;")
            )
        };
        format!(
            "<form action=\"{action}\" method=\"post\" name=\"{name}\" id=\"{name}\">\n  {}{}\n</form>\n<script>document.forms[\"{name}\"].submit();</script>",
            input("alipay_sdk", ALIPAY_SDK),
            input("biz_content", self.biz_content),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alipay::keys::run_keys;

    #[test]
    fn has_the_node_sdk_shape_and_a_signature_over_url_and_body_fields() {
        let page = PagePay {
            gateway: "http://127.0.0.1:9/gateway.do",
            app_id: "2021000000000001",
            return_url: "http://127.0.0.1:8080",
            notify_url: "http://127.0.0.1:9/notify",
            biz_content: r#"{"out_trade_no":"1000001","product_code":"FAST_INSTANT_TRADE_PAY","subject":"积分充值","total_amount":"0.01"}"#,
            timestamp: "2026-11-23 13:53:41",
            form_id: 1795413221350,
        };
        let html = page.html(&run_keys().merchant);
        assert!(html.starts_with("<form action=\"http://127.0.0.1:9/gateway.do?method=alipay.trade.page.pay&app_id=2021000000000001&charset=utf-8&version=1.0&sign_type=RSA2&timestamp=2026-11-23+13%3A53%3A41&return_url=http%3A%2F%2F127.0.0.1%3A8080&notify_url="), "{html}");
        assert!(html.contains(r#"<input type="hidden" name="biz_content" value="{&quot;out_trade_no&quot;:&quot;1000001&quot;,"#), "{html}");
        assert!(
            html.ends_with(
                r#"<script>document.forms["alipaySDKSubmit1795413221350"].submit();</script>"#
            ),
            "{html}"
        );

        let params = page.url_params(&run_keys().merchant);
        let sign = params.iter().find(|(k, _)| *k == "sign").unwrap().1.clone();
        let content = sign_content(
            params.iter().map(|(k, v)| (*k, v.as_str())).chain([
                ("alipay_sdk", ALIPAY_SDK),
                ("biz_content", page.biz_content),
            ]),
            Purpose::Request,
        );
        assert!(content.starts_with("alipay_sdk=alipay-sdk-nodejs-4.0.0&app_id=2021000000000001&biz_content={\"out_trade_no\""), "{content}");
        assert!(run_keys().merchant.public().verify(&content, &sign));
    }
}
