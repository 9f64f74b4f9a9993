package dev.runfleet.emulators.edge;

/** One AWS API the edge serves; it recognises its own calls by target header or protocol. */
public interface EdgeService {

  /** True when this service answers {@code request}. */
  boolean accepts(EdgeRequest request);

  /** Answers a request this service accepts; never throws for bad input, it answers it. */
  EdgeReply handle(EdgeRequest request);
}
