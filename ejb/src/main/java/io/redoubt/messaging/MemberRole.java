package io.redoubt.messaging;

/** A group admin renames, changes the default lifetime, adds and removes members. */
public enum MemberRole {
  ADMIN,
  MEMBER
}
