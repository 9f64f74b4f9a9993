package dev.runfleet.local.setup;

import java.net.URI;

/**
 * What GitHub hands over once for a new App: its identity and its two secrets. {@link #toString()}
 * masks the secrets, so the record may appear in a log line or a message.
 *
 * @param id the App id (the JWT issuer)
 * @param slug the App's URL name
 * @param htmlUrl the App's page
 * @param ownerLogin the account that owns the App
 * @param pem the private key, PEM encoded: secret
 * @param webhookSecret the secret GitHub signs webhook deliveries with: secret
 */
public record CreatedApp(
    long id, String slug, URI htmlUrl, String ownerLogin, String pem, String webhookSecret) {

  @Override
  public String toString() {
    return "CreatedApp[id="
        + id
        + ", slug="
        + slug
        + ", htmlUrl="
        + htmlUrl
        + ", ownerLogin="
        + ownerLogin
        + ", pem=***, webhookSecret=***]";
  }
}
