<?php
/**
 * The approved comments of a post as plain HTML inside `<leserpost-comments>`: search engines and
 * readers without JavaScript see them as they saw WordPress's own. When the widget starts it gives
 * the element a shadow root without a slot, so this light-DOM copy stays in the document for
 * crawlers but is no longer drawn, and the widget's live thread takes its place.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

/** The most comments rendered on the server (the API's largest page); the widget pages further. */
const LESERPOST_RENDER_LIMIT = 100;

/**
 * The comments element of a post, with its server-rendered thread.
 *
 * @param string $page The page key.
 * @return string
 */
function leserpost_comments_element( $page ) {
	$result   = leserpost_api_get( '/comments?page=' . rawurlencode( $page ) . '&limit=' . LESERPOST_RENDER_LIMIT );
	$comments = ( ! is_wp_error( $result ) && isset( $result['comments'] ) && is_array( $result['comments'] ) ) ? $result['comments'] : array();
	leserpost_enqueue_widget();
	// The classes most themes give their comments area, so Leserpost sits in the content column.
	$html  = '<div id="comments" class="comments-area default-max-width leserpost">';
	$html .= '<leserpost-comments page="' . esc_attr( $page ) . '" lang="' . esc_attr( leserpost_lang() ) . '"' . leserpost_privacy_attribute() . '>';
	$html .= '<section class="leserpost-fallback">';
	$html .= '<h2>' . esc_html__( 'Comments', 'leserpost' ) . '</h2>';
	$html .= leserpost_render_thread( $comments );
	$html .= '<p><em>' . esc_html__( 'To write a comment, please turn on JavaScript.', 'leserpost' ) . '</em></p>';
	$html .= '</section></leserpost-comments></div>';
	return $html;
}

/** ` privacy-url="…"` when the settings or WordPress name a privacy page. */
function leserpost_privacy_attribute() {
	$url = leserpost_setting( 'privacy_url' ) ? leserpost_setting( 'privacy_url' ) : get_privacy_policy_url();
	return $url ? ' privacy-url="' . esc_url( $url ) . '"' : '';
}

/**
 * Replies under their parent, in the API's order; a reply whose parent is not among them stands
 * at the top level.
 *
 * @param array $comments PublicComment objects from GET /comments.
 * @return string
 */
function leserpost_render_thread( $comments ) {
	if ( ! $comments ) {
		return '<p>' . esc_html__( 'No comments yet.', 'leserpost' ) . '</p>';
	}
	$ids      = array();
	$children = array();
	foreach ( $comments as $comment ) {
		if ( is_array( $comment ) && isset( $comment['id'] ) ) {
			$ids[ (string) $comment['id'] ] = true;
		}
	}
	foreach ( $comments as $comment ) {
		if ( ! is_array( $comment ) || ! isset( $comment['id'] ) ) {
			continue;
		}
		$parent                = isset( $comment['parentId'] ) && isset( $ids[ (string) $comment['parentId'] ] ) ? (string) $comment['parentId'] : '';
		$children[ $parent ][] = $comment;
	}
	return leserpost_render_list( $children, '', 0 );
}

/** One level of the thread (depth bounded against loops in broken data). */
function leserpost_render_list( $children, $parent, $depth ) {
	if ( empty( $children[ $parent ] ) || $depth > 50 ) {
		return '';
	}
	$html = '<ol class="leserpost-thread">';
	foreach ( $children[ $parent ] as $comment ) {
		$html .= '<li>' . leserpost_render_comment( $comment ) . leserpost_render_list( $children, (string) $comment['id'], $depth + 1 ) . '</li>';
	}
	return $html . '</ol>';
}

/** One comment: name (linked to its website, nofollow), date, text with paragraphs. */
function leserpost_render_comment( $comment ) {
	$id = 'leserpost-' . sanitize_html_class( (string) $comment['id'] );
	if ( ! empty( $comment['placeholder'] ) ) {
		return '<article id="' . esc_attr( $id ) . '"><p><em>' . esc_html__( 'This comment was deleted.', 'leserpost' ) . '</em></p></article>';
	}
	$name    = isset( $comment['name'] ) ? (string) $comment['name'] : '';
	$website = isset( $comment['website'] ) ? (string) $comment['website'] : '';
	$author  = esc_html( $name );
	if ( $website && preg_match( '#^https?://#i', $website ) ) {
		$author = '<a href="' . esc_url( $website ) . '" rel="nofollow ugc noopener">' . $author . '</a>';
	}
	$created = isset( $comment['createdAt'] ) ? strtotime( (string) $comment['createdAt'] ) : false;
	$date    = $created ? '<time datetime="' . esc_attr( gmdate( 'c', $created ) ) . '">' . esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $created ) ) . '</time>' : '';
	$text    = '';
	foreach ( preg_split( "/\n{2,}/", isset( $comment['text'] ) ? (string) $comment['text'] : '' ) as $paragraph ) {
		$text .= '<p>' . nl2br( esc_html( $paragraph ), false ) . '</p>';
	}
	return '<article id="' . esc_attr( $id ) . '"><p class="leserpost-meta"><b>' . $author . '</b> ' . $date . '</p>' . $text . '</article>';
}
