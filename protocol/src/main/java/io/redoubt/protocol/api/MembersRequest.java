package io.redoubt.protocol.api;

import java.util.List;

/** Adds members to a group by login name (group admins). */
public record MembersRequest(List<String> usernames) {}
