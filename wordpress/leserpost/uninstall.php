<?php
/**
 * Deleting the plugin removes everything it stored: its settings and its cached API reads.
 * Comments live in Leserpost, not in WordPress, and stay there.
 *
 * @package Leserpost
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) || ! current_user_can( 'activate_plugins' ) ) {
	exit;
}

$leserpost_keys = get_option( 'leserpost_cache_keys', array() );
foreach ( is_array( $leserpost_keys ) ? $leserpost_keys : array() as $leserpost_key ) {
	delete_transient( $leserpost_key );
}
delete_option( 'leserpost_cache_keys' );
delete_option( 'leserpost_settings' );

// Cached reads that fell off the bounded list above; they would expire, but nothing stays behind.
global $wpdb;
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_leserpost\\_%' OR option_name LIKE '\\_transient\\_timeout\\_leserpost\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- uninstall only.
