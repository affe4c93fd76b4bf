@alipay
Feature: Paying for an AI membership with Alipay on the web
  A shopper of a Zion web shop pays with Alipay's page pay. The shop hands the shopper to
  Alipay with the payment form Zion signed, Alipay sends the shopper back to the shop, and
  the shop unlocks the membership only once Zion has confirmed the payment.

  Background:
    Given a logged-in shopper on the web shop

  Scenario: A paid membership is confirmed and the shopper is sent home with AI unlocked
    Given Alipay will accept the payment
    When the shopper buys the AI membership
    Then Alipay accepted the payment form as Zion signed it
    And the shop confirms the payment
    And the shopper is back on the home page with the AI membership active
    And the order is paid

  Scenario: Alipay sends the shopper back to the shop's own address
    Given Alipay will accept the payment
    When the shopper buys the AI membership
    Then the app asked Alipay to send the shopper back to the shop's own origin
    And the app asked Alipay for the order's price in yuan

  Scenario: The shop waits for Zion's confirmation before checking the order
    Given Alipay will accept the payment
    And Zion learns of the payment 1 second after it is made
    When the shopper buys the AI membership
    Then Alipay accepted the payment form as Zion signed it
    And the app waited for Zion's confirmation before checking the order status
    And the shop confirms the payment
    And the shopper is back on the home page with the AI membership active

  Scenario: A confirmation slower than the shop's wait shows "processing", never success
    Given Alipay will accept the payment
    And Zion learns of the payment 10 seconds after it is made
    When the shopper buys the AI membership
    Then the shop says the payment is still being processed
    And the shop does not claim the payment succeeded

  Scenario: A payment Zion never hears of is never shown as paid
    Given Alipay will accept the payment
    And Zion never learns of the payment
    When the shopper buys the AI membership
    Then the shop says the payment is still being processed
    And the shop does not claim the payment succeeded
    And the order is still unpaid

  Scenario: A shopper who leaves Alipay without paying keeps an unpaid order
    Given the shopper will leave Alipay's cashier without paying
    When the shopper buys the AI membership
    Then Alipay accepted the payment form as Zion signed it
    And the shopper is left at Alipay's cashier
    And the shop does not claim the payment succeeded
    And the order is still unpaid

  Scenario: When Zion cannot create the payment the shop says so and stays put
    Given Zion will refuse to create the Alipay payment with "支付宝配置错误"
    When the shopper buys the AI membership
    Then the shop shows an error and the shopper stays in the shop
    And the order is still unpaid

  Scenario: Opening the shop without coming back from Alipay checks no payment
    When the shopper opens the shop's home page
    Then the app never asked for an order's status

  Scenario: An expired login asks the shopper to log in again
    Given the shopper's login has expired
    When the shopper buys the AI membership
    Then the shop asks the shopper to log in again
    And no order was created

  Scenario: Clicking the buy button twice quickly pays once
    Given Alipay will accept the payment
    When the shopper clicks the buy button twice quickly
    Then the shop created one order and sent the shopper to Alipay once
    And the shop confirms the payment

  Scenario: When the order cannot be created the shop says so and nothing is paid
    Given the actionflow "create order" fails next with "库存不足"
    When the shopper buys the AI membership
    Then the shop shows an error and the shopper stays in the shop
    And no order was created
