/**
 * The organisation that runs this Redoubt installation: its name and the settings every feature
 * shares. Holds no keys (see {@link io.redoubt.keys}).
 */
package io.redoubt.organisation;
