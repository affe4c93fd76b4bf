@wechat
Feature: Topping up points with WeChat Pay in the Mini Program
  A shopper of a Zion Mini Program pays with WeChat Pay. The Mini Program asks Zion for an
  order and for WeChat Pay's signed payment parameters, hands them unchanged to WeChat's
  payment sheet, and credits the purchase only once Zion has confirmed the payment. A
  cancelled or failed payment never looks like a success.

  Scenario: A successful payment is confirmed and the shopper returns to the shop
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "支付成功"
    And the Mini Program goes back to the home page
    And the order is paid
    And WeChat's payment sheet received the payment parameters exactly as Zion issued them

  Scenario: The Mini Program asks WeChat Pay for the order's price in yuan
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    When the shopper tops up points in the Mini Program
    Then the app asked Zion for a WeChat payment of the order's price in yuan
    And the app asked Zion to pay the order it created, as a Mini Program payment

  Scenario: The Mini Program waits for Zion's confirmation before checking the order
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    And Zion learns of the payment 1 second after it is made
    When the shopper tops up points in the Mini Program
    Then the app checked the order status only after waiting for WeChat's notification to reach Zion
    And the Mini Program shows the toast "支付成功"
    And the Mini Program goes back to the home page
    And the home page shows the shopper's 990 points

  Scenario: A confirmation slower than the Mini Program's wait is not shown as a success
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    And Zion learns of the payment 10 seconds after it is made
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "支付未完成"
    And the Mini Program never shows the toast "支付成功"

  Scenario: A cancelled WeChat payment leaves the order unpaid
    Given a logged-in shopper in the Mini Program
    And the shopper will cancel WeChat's payment sheet
    When the shopper tops up points in the Mini Program
    Then the Mini Program never shows the toast "支付成功"
    And the order is still unpaid

  Scenario: A failed WeChat payment is reported as a failure
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will fail the payment with "余额不足"
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "支付失败"
    And the order is still unpaid

  Scenario: When Zion refuses to create the payment, WeChat's payment sheet never opens
    Given a logged-in shopper in the Mini Program
    And Zion will refuse to create the WeChat payment with "商户号配置错误"
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "创建微信支付失败：商户号配置错误"
    And WeChat's payment sheet was never opened
    And the order is still unpaid

  Scenario: A shopper who is not logged in is asked to log in and no order is created
    Given a shopper who has not logged in to the Mini Program
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "请先登录"
    And no order was created

  Scenario: A membership paid with the Promise style of wx.requestPayment is confirmed
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    When the shopper buys the AI membership in the Mini Program
    Then the Mini Program shows the toast "开通成功"
    And the order is paid
    And WeChat's payment sheet received the payment parameters exactly as Zion issued them

  Scenario: A membership payment cancelled in the Promise style is not a success
    Given a logged-in shopper in the Mini Program
    And the shopper will cancel WeChat's payment sheet
    When the shopper buys the AI membership in the Mini Program
    Then the Mini Program shows the toast "已取消支付"
    And the Mini Program never shows the toast "开通成功"
    And the order is still unpaid

  Scenario: A network failure before the payment is reported and WeChat's payment sheet never opens
    Given a logged-in shopper in the Mini Program
    And wx.request will fail with "timeout"
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "request:fail timeout"
    And WeChat's payment sheet was never opened
    And no order was created

  Scenario: A shopper whose stored login is gone at launch is asked to log in
    Given wx.getStorageSync will answer '""'
    And a logged-in shopper in the Mini Program
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "请先登录"
    And no order was created

  Scenario: Tapping pay twice quickly pays once
    Given a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    When the shopper tops up points in the Mini Program, tapping pay twice quickly
    Then the Mini Program created one order and opened WeChat's payment sheet once
    And the Mini Program shows the toast "支付成功"

  Scenario: A shopper opening the Mini Program for the first time is logged in by WeChat and pays
    Given a shopper opening the Mini Program for the first time
    And WeChat Pay will accept the payment
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "支付成功"
    And the Mini Program logged in with WeChat once
    And the order is paid

  Scenario: A login that expired since the last launch is renewed with WeChat and the payment goes through
    Given the shopper's login has expired
    And a logged-in shopper in the Mini Program
    And WeChat Pay will accept the payment
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast "支付成功"
    And the Mini Program logged in with WeChat once
    And the order is paid
