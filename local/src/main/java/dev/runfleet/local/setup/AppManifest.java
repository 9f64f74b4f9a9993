package dev.runfleet.local.setup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * The GitHub App manifest runfleet registers: a private App that receives {@code workflow_job}
 * webhooks and holds only the permissions the orchestrators use.
 *
 * @param name the App's name (GitHub: unique, at most {@value #MAX_NAME_LENGTH} characters); the
 *     person registering it may still change it on GitHub's page
 * @param homepage the App's homepage (shown on its page)
 * @param webhookUrl where GitHub delivers the webhooks: the deployment's {@code POST /webhook}
 * @param owner whose App it is, which decides its permissions
 */
public record AppManifest(String name, URI homepage, URI webhookUrl, AppOwner owner) {

  public static final int MAX_NAME_LENGTH = 34;

  public AppManifest {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "--name must be 1 to " + MAX_NAME_LENGTH + " characters, was '" + name + "'");
    }
  }

  /**
   * The manifest JSON, as GitHub's manifest flow documents its fields.
   *
   * @param redirectUrl where GitHub sends the browser back with the one-time code
   */
  public String json(URI redirectUrl) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode manifest = mapper.createObjectNode();
    manifest.put("name", name);
    manifest.put("url", homepage.toString());
    manifest.putObject("hook_attributes").put("url", webhookUrl.toString()).put("active", true);
    manifest.put("redirect_url", redirectUrl.toString());
    manifest.put("public", false);
    manifest.putArray("default_events").add("workflow_job");
    ObjectNode permissions = manifest.putObject("default_permissions");
    owner.permissions().forEach(permissions::put);
    return manifest.toString();
  }
}
