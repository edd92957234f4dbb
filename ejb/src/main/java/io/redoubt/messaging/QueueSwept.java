package io.redoubt.messaging;

/**
 * A CDI event, fired after every expiry sweep (once its deletes committed): rows may have left
 * devices' queues without an acknowledgement on the socket that pushed them (expired; acknowledged
 * over REST on another node). A socket waiting for such items with a full window would otherwise
 * wait for ever; on this event it checks (see the web module's DeliveryWindow), so delivery goes on
 * within one sweep interval.
 *
 * @param deleted how many queue rows and envelopes this sweep deleted (of every device)
 */
public record QueueSwept(int deleted) {}
