@alipay @login
Feature: Logging in to the web shop with a username and password
  A shopper logs in to the web shop with the username and password of their Zion account.
  Zion answers a login token that the shop keeps and sends with every request. A wrong
  password keeps the shopper logged out; an expired login sends the shopper back to the
  log-in form, and logging in again lets them pay.

  Background:
    Given the shopper can log in as "alice" with the password "s3cret"

  Scenario: A shopper who logs in can pay for the AI membership
    Given Alipay will accept the payment
    When the shopper logs in as "alice" with the password "s3cret"
    Then the shop shows the shopper as logged in
    When the shopper buys the AI membership
    Then the shop confirms the payment
    And the order is paid

  Scenario: A wrong password is refused and the shopper stays logged out
    When the shopper logs in as "alice" with the password "wrong-password"
    Then the shop says the username or password is wrong
    And the shopper is not logged in

  Scenario: A shopper whose login expired logs in again and pays
    Given Alipay will accept the payment
    And the shopper has logged in as "alice" with the password "s3cret"
    And the shopper's login has expired
    When the shopper buys the AI membership
    Then the shop asks the shopper to log in again
    And no order was created
    When the shopper logs in as "alice" with the password "s3cret"
    Then the shop shows the shopper as logged in
    When the shopper buys the AI membership
    Then the shop confirms the payment
    And the order is paid
