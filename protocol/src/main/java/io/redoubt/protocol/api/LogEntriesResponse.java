package io.redoubt.protocol.api;

import java.util.List;

/** Log entries [start, end), in index order. */
public record LogEntriesResponse(long start, long end, List<LogEntryResponse> entries) {}
