package dev.runfleet.orchestrators.github;

/**
 * A key source that fetches once and keeps the key in memory; a failed fetch is not cached, so the
 * next call tries again.
 */
abstract class FetchedOnce implements PrivateKeySource {

  private volatile String pem;

  @Override
  public final String pem() {
    String cached = pem;
    if (cached != null) {
      return cached;
    }
    synchronized (this) {
      if (pem == null) {
        pem = fetch();
      }
      return pem;
    }
  }

  abstract String fetch();
}
