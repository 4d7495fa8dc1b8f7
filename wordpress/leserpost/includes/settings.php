<?php
/**
 * The plugin's one option: where the API and the widget live, and a few switches. Nothing
 * personal is stored; the option and the short-lived caches are all the plugin keeps.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

const LESERPOST_OPTION = 'leserpost_settings';

/** Seconds the server-rendered comments are cached; the filter `leserpost_cache_seconds` overrides. */
const LESERPOST_DEFAULT_CACHE_SECONDS = 60;

/** Every setting with its default; anything else in the stored array is dropped. */
function leserpost_defaults() {
	return array(
		'api_url'        => '',
		'reads_url'      => '',
		'widget_url'     => '',
		'privacy_url'    => '',
		'cache_seconds'  => LESERPOST_DEFAULT_CACHE_SECONDS,
		'close_comments' => false,
		'auto_credit'    => false,
		'archive_counts' => true,
	);
}

/**
 * One setting, or all of them.
 *
 * @param string|null $key A key of leserpost_defaults(), or null for the array.
 * @return mixed
 */
function leserpost_setting( $key = null ) {
	$stored   = get_option( LESERPOST_OPTION, array() );
	$settings = array_merge( leserpost_defaults(), is_array( $stored ) ? array_intersect_key( $stored, leserpost_defaults() ) : array() );
	return null === $key ? $settings : $settings[ $key ];
}

/** True once both URLs are set: until then the plugin leaves the theme alone. */
function leserpost_is_configured() {
	return '' !== leserpost_setting( 'api_url' ) && '' !== leserpost_setting( 'widget_url' );
}

/**
 * The script's address and its `data-api` / `data-reads` / `data-privacy-url` out of the
 * `EmbedSnippet` that `cdk deploy` prints (or any script tag of the widget).
 *
 * @param string $snippet What the author pasted.
 * @return array{widget_url?: string, api_url?: string, reads_url?: string, privacy_url?: string}
 */
function leserpost_parse_snippet( $snippet ) {
	$found = array();
	if ( ! preg_match( '/<script\b[^>]*>/i', (string) $snippet, $tag ) ) {
		return $found;
	}
	$names = array(
		'src'              => 'widget_url',
		'data-api'         => 'api_url',
		'data-reads'       => 'reads_url',
		'data-privacy-url' => 'privacy_url',
	);
	foreach ( $names as $attribute => $key ) {
		if ( preg_match( '/\s' . preg_quote( $attribute, '/' ) . '\s*=\s*(["\'])(.*?)\1/i', $tag[0], $match ) ) {
			$found[ $key ] = html_entity_decode( trim( $match[2] ), ENT_QUOTES, 'UTF-8' );
		}
	}
	return $found;
}

/** An absolute http(s) URL, or ''. */
function leserpost_clean_url( $url ) {
	$url = esc_url_raw( trim( (string) $url ), array( 'http', 'https' ) );
	return preg_match( '#^https?://[^/\s]+#i', $url ) ? $url : '';
}

/**
 * The Settings API's sanitize_callback: a pasted snippet fills the URLs, every URL must be
 * absolute http(s), numbers are bounded, switches are booleans.
 *
 * @param mixed $input The submitted form fields.
 * @return array
 */
function leserpost_sanitize_settings( $input ) {
	$input    = is_array( $input ) ? wp_unslash( $input ) : array();
	$previous = leserpost_setting();
	$snippet  = isset( $input['snippet'] ) ? leserpost_parse_snippet( $input['snippet'] ) : array();
	if ( isset( $input['snippet'] ) && '' !== trim( (string) $input['snippet'] ) && empty( $snippet['api_url'] ) ) {
		add_settings_error( LESERPOST_OPTION, 'snippet', __( 'The pasted snippet has no script tag with data-api. Please paste the EmbedSnippet from cdk deploy.', 'leserpost' ) );
	}
	$input = array_merge( $input, $snippet );

	$clean = array();
	foreach ( array( 'api_url', 'reads_url', 'widget_url', 'privacy_url' ) as $key ) {
		$raw           = isset( $input[ $key ] ) ? trim( (string) $input[ $key ] ) : '';
		$clean[ $key ] = leserpost_clean_url( $raw );
		if ( '' !== $raw && '' === $clean[ $key ] ) {
			/* translators: %s: the name of the field */
			add_settings_error( LESERPOST_OPTION, $key, sprintf( __( '%s must be a full address starting with https://.', 'leserpost' ), leserpost_field_label( $key ) ) );
			$clean[ $key ] = $previous[ $key ];
		}
	}
	$clean['api_url']       = untrailingslashit( $clean['api_url'] );
	$clean['reads_url']     = untrailingslashit( $clean['reads_url'] );
	$clean['cache_seconds'] = isset( $input['cache_seconds'] ) ? min( 3600, max( 0, absint( $input['cache_seconds'] ) ) ) : $previous['cache_seconds'];
	foreach ( array( 'close_comments', 'auto_credit', 'archive_counts' ) as $key ) {
		$clean[ $key ] = ! empty( $input[ $key ] );
	}
	leserpost_forget_cache();
	return $clean;
}

/** The visible name of a URL field, for messages. */
function leserpost_field_label( $key ) {
	$labels = array(
		'api_url'     => __( 'API address', 'leserpost' ),
		'reads_url'   => __( 'Read address (edge cache)', 'leserpost' ),
		'widget_url'  => __( 'Widget address', 'leserpost' ),
		'privacy_url' => __( 'Privacy page', 'leserpost' ),
	);
	return $labels[ $key ];
}
