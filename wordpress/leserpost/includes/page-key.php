<?php
/**
 * A post's thread is its page key, the same one Leserpost's WordPress import gives it
 * (functions/importers/wordpress.ts, functions/core/page.ts): the path of the permalink, and
 * `/p/<id>` for a post that has only `?p=<id>` (or a page with only `?page_id=<id>`), so imported
 * comments appear under their post.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

/**
 * The page key of a post.
 *
 * @param int|WP_Post|null $post The post; the current one by default.
 * @return string
 */
function leserpost_page_key( $post = null ) {
	$link = get_permalink( $post );
	$key  = leserpost_key_of_link( (string) $link );
	/** Filters the page key, for blogs whose threads were keyed otherwise. */
	return (string) apply_filters( 'leserpost_page_key', $key, get_post( $post ) );
}

/** The key of a permalink as the importer computes it. */
function leserpost_key_of_link( $link ) {
	$parts = wp_parse_url( $link );
	$path  = isset( $parts['path'] ) ? $parts['path'] : '';
	if ( ( '' === $path || '/' === $path ) && ! empty( $parts['query'] ) ) {
		parse_str( $parts['query'], $query );
		foreach ( array( 'p', 'page_id' ) as $name ) {
			if ( isset( $query[ $name ] ) && is_string( $query[ $name ] ) && '' !== $query[ $name ] ) {
				return '/p/' . $query[ $name ];
			}
		}
	}
	return leserpost_normalise_path( $path );
}

/** As normalisePage: decoded once, leading slash, no doubled or trailing slashes. */
function leserpost_normalise_path( $path ) {
	$path = rawurldecode( preg_replace( '/[?#].*$/s', '', trim( (string) $path ) ) );
	if ( '/' !== substr( $path, 0, 1 ) ) {
		$path = '/' . $path;
	}
	$path = preg_replace( '#/{2,}#', '/', $path );
	return strlen( $path ) > 1 ? rtrim( $path, '/' ) : $path;
}
