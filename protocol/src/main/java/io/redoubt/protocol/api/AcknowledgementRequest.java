package io.redoubt.protocol.api;

import java.util.List;

/** Items of the device's own queue it has processed; they are deleted. */
public record AcknowledgementRequest(List<Long> seqs) {}
