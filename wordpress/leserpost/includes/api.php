<?php
/**
 * Reads from the Leserpost API on the server, with a short timeout and a short-lived cache
 * (transients), so a slow API never holds a page up for long and a busy post asks once a minute.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

const LESERPOST_CACHE_PREFIX = 'leserpost_';

/** Seconds a read is cached: the setting, or the `leserpost_cache_seconds` filter. */
function leserpost_cache_seconds() {
	return max( 0, (int) apply_filters( 'leserpost_cache_seconds', (int) leserpost_setting( 'cache_seconds' ) ) );
}

/**
 * GET {api}{path}: the decoded JSON, or a WP_Error. Cached, failures included (for at most
 * half a minute), so an API outage does not slow every page view.
 *
 * @param string $path Path and query below the API base, e.g. `/comments?page=%2Fa`.
 * @return array|WP_Error
 */
function leserpost_api_get( $path ) {
	$url     = leserpost_setting( 'api_url' ) . $path;
	$key     = LESERPOST_CACHE_PREFIX . md5( $url );
	$seconds = leserpost_cache_seconds();
	if ( $seconds > 0 ) {
		$cached = get_transient( $key );
		if ( is_array( $cached ) ) {
			return isset( $cached['error'] ) ? new WP_Error( 'leserpost_api', $cached['error'] ) : $cached;
		}
	}
	$result = leserpost_api_fetch( $url );
	if ( $seconds > 0 ) {
		$stored = is_wp_error( $result ) ? array( 'error' => $result->get_error_message() ) : $result;
		set_transient( $key, $stored, is_wp_error( $result ) ? min( 30, $seconds ) : $seconds );
		leserpost_remember_cache_key( $key );
	}
	return $result;
}

/** One request, no cache. */
function leserpost_api_fetch( $url, $headers = array() ) {
	$response = wp_remote_get(
		$url,
		array(
			'timeout' => (float) apply_filters( 'leserpost_api_timeout', 3 ),
			'headers' => array_merge(
				array(
					'Accept'          => 'application/json',
					'Accept-Language' => leserpost_lang(),
				),
				$headers
			),
		)
	);
	if ( is_wp_error( $response ) ) {
		return $response;
	}
	$status = (int) wp_remote_retrieve_response_code( $response );
	$json   = json_decode( wp_remote_retrieve_body( $response ), true );
	if ( 200 !== $status || ! is_array( $json ) ) {
		/* translators: %d: HTTP status code */
		return new WP_Error( 'leserpost_api', sprintf( __( 'The API answered with status %d.', 'leserpost' ), $status ), $json );
	}
	return $json;
}

/** The site's language as the widget and the API know it. */
function leserpost_lang() {
	return 0 === strpos( determine_locale(), 'de' ) ? 'de' : 'en';
}

/** The keys of the caches, kept so that saving the settings and uninstalling can clear them. */
function leserpost_remember_cache_key( $key ) {
	$keys = get_option( 'leserpost_cache_keys', array() );
	if ( ! is_array( $keys ) ) {
		$keys = array();
	}
	if ( ! in_array( $key, $keys, true ) ) {
		$keys[] = $key;
		// Bounded: a busy blog forgets the oldest entries, which then expire by themselves.
		update_option( 'leserpost_cache_keys', array_slice( $keys, -500 ), false );
	}
}

/** Clears every cached read (after the settings change, and on uninstall). */
function leserpost_forget_cache() {
	$keys = get_option( 'leserpost_cache_keys', array() );
	foreach ( is_array( $keys ) ? $keys : array() as $key ) {
		delete_transient( $key );
	}
	delete_option( 'leserpost_cache_keys' );
}
