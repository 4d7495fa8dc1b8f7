<?php
/**
 * What readers see: Leserpost in place of the theme's comments on posts and pages, counts on
 * index pages, the wish board and the wish credit. Where Leserpost does not replace, the theme's
 * template stays as it is.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

add_filter( 'comments_template', 'leserpost_comments_template', 20 );
add_filter( 'comments_open', 'leserpost_comments_open', 20, 2 );
add_filter( 'pre_render_block', 'leserpost_render_comments_block', 20, 2 );
add_filter( 'comments_number', 'leserpost_comments_number', 20, 2 );
add_filter( 'the_content', 'leserpost_content_extras', 20 );
add_filter( 'the_excerpt', 'leserpost_content_extras', 20 );
add_filter( 'render_block_core/post-excerpt', 'leserpost_block_excerpt_count', 20 );
add_filter( 'script_loader_tag', 'leserpost_script_tag', 10, 2 );
add_filter( 'pre_option_default_comment_status', 'leserpost_new_posts_closed' );
add_filter( 'pre_option_default_ping_status', 'leserpost_new_posts_closed' );
add_action( 'wp_enqueue_scripts', 'leserpost_dequeue_comment_reply', 100 );
add_action( 'init', 'leserpost_register_shortcodes' );

/**
 * Leserpost shows on a published post or page that can have comments, in the main query's
 * singular view, never in feeds or behind a password. The author may turn it off per post with
 * the `leserpost_show_comments` filter.
 *
 * @param WP_Post|null $post The post; the queried one by default.
 */
function leserpost_applies( $post = null ) {
	$post = get_post( $post );
	$show = leserpost_is_configured() && $post && is_singular() && ! is_feed() && ! is_preview()
		&& 'publish' === $post->post_status && post_type_supports( $post->post_type, 'comments' )
		&& ! post_password_required( $post )
		&& ( leserpost_setting( 'close_comments' ) || 'open' === $post->comment_status || get_comments_number( $post ) > 0 );
	return (bool) apply_filters( 'leserpost_show_comments', $show, $post );
}

/** Swaps the theme's comments.php for ours where Leserpost applies. */
function leserpost_comments_template( $template ) {
	if ( ! leserpost_applies() ) {
		return $template;
	}
	return (string) apply_filters( 'leserpost_comments_template_file', dirname( LESERPOST_FILE ) . '/templates/comments.php' );
}

/**
 * Themes call comments_template() only when comments are open (or some exist). On the rendered
 * post itself Leserpost's comments are open; WordPress's own form handler runs without a main
 * query (is_singular() is false there), so its own comments stay as closed as they are.
 */
function leserpost_comments_open( $open, $post_id ) {
	if ( $open || is_admin() || ! is_singular() || get_queried_object_id() !== (int) $post_id ) {
		return $open;
	}
	return leserpost_applies( $post_id );
}

/**
 * Block themes render comments with the comments block (or its older post-comments), not
 * comments.php. Taking its place before it renders, rather than replacing its output, means
 * WordPress never queries its own comments there nor builds its form (with the reply script and
 * whatever other plugins hook into the form).
 *
 * @param string|null $pre   Null, or what another filter already renders instead.
 * @param array       $block The parsed block.
 * @return string|null
 */
function leserpost_render_comments_block( $pre, $block ) {
	if ( null !== $pre || ! isset( $block['blockName'] ) || ! in_array( $block['blockName'], array( 'core/comments', 'core/post-comments' ), true ) ) {
		return $pre;
	}
	return leserpost_applies() ? leserpost_comments_element( leserpost_page_key() ) : null;
}

/** `comments_number()` and comment links of themes show Leserpost's count, kept fresh by the widget. */
function leserpost_comments_number( $output, $number ) {
	if ( ! leserpost_is_configured() || is_admin() || is_feed() ) {
		return $output;
	}
	leserpost_enqueue_widget();
	$count = leserpost_known_count( leserpost_page_key() );
	/* translators: %s: the number of comments (kept up to date in the browser) */
	return sprintf( esc_html__( 'Comments: %s', 'leserpost' ), '<span data-leserpost-count="' . esc_attr( leserpost_page_key() ) . '">' . esc_html( null === $count ? (string) $number : (string) $count ) . '</span>' );
}

/**
 * On index and archive pages a comment count under each post; on a post that fulfilled a wish
 * the credit line, when the author turned that on and did not place it herself.
 */
function leserpost_content_extras( $content ) {
	if ( ! leserpost_is_configured() || is_feed() || ! in_the_loop() || ! is_main_query() ) {
		return $content;
	}
	$post = get_post();
	if ( is_singular() ) {
		if ( leserpost_setting( 'auto_credit' ) && $post && 'post' === $post->post_type && ! has_shortcode( $post->post_content, 'leserpost_credit' ) ) {
			$content .= leserpost_credit_element( leserpost_page_key( $post ) );
		}
		return $content;
	}
	// An excerpt is made from the content with its tags stripped; the count comes after the excerpt.
	if ( doing_filter( 'get_the_excerpt' ) ) {
		return $content;
	}
	return $content . leserpost_count_paragraph( $post );
}

/**
 * Block themes list posts with the query loop's blocks, outside the classic loop and without
 * `the_excerpt`: the count comes after each excerpt block (the loop has set up its post).
 */
function leserpost_block_excerpt_count( $content ) {
	if ( ! leserpost_is_configured() || is_singular() || is_feed() ) {
		return $content;
	}
	return $content . leserpost_count_paragraph( get_post() );
}

/** "Comments: 3" linking to the post's comments, where the setting wants counts. */
function leserpost_count_paragraph( $post ) {
	if ( ! leserpost_setting( 'archive_counts' ) || ! $post || ! post_type_supports( $post->post_type, 'comments' ) ) {
		return '';
	}
	return '<p class="leserpost-count"><a href="' . esc_url( get_permalink( $post ) . '#comments' ) . '">' . leserpost_comments_number( '', (int) get_comments_number( $post ) ) . '</a></p>';
}

/**
 * The count of a page as the server knows it: all posts of the main query are asked for in one
 * cached request, so an index page costs one API call (the widget then refreshes them).
 *
 * @return int|null
 */
function leserpost_known_count( $page ) {
	static $counts = null;
	if ( null === $counts ) {
		global $wp_query;
		$pages = array();
		foreach ( ( $wp_query && is_array( $wp_query->posts ) ) ? $wp_query->posts : array() as $post ) {
			$pages[] = leserpost_page_key( $post );
		}
		$pages  = array_slice( array_values( array_unique( array_merge( $pages, array( $page ) ) ) ), 0, 100 );
		$result = leserpost_api_get( '/comments/counts?pages=' . implode( ',', array_map( 'rawurlencode', $pages ) ) );
		$counts = ( ! is_wp_error( $result ) && isset( $result['counts'] ) && is_array( $result['counts'] ) ) ? $result['counts'] : array();
	}
	return isset( $counts[ $page ] ) ? (int) $counts[ $page ] : null;
}

/** The widget script, once per page, in the footer; its attributes from the settings. */
function leserpost_enqueue_widget() {
	if ( leserpost_is_configured() ) {
		wp_enqueue_script( 'leserpost', leserpost_setting( 'widget_url' ), array(), null, true );
	}
}

/**
 * Adds `data-api`, `data-reads`, `data-privacy-url` and `defer` to our script tag, every value
 * escaped. With `data-reads` the readers' browsers read through the edge cache, so a viral post
 * costs the API a few requests a minute instead of one per page view.
 */
function leserpost_script_tag( $tag, $handle ) {
	if ( 'leserpost' !== $handle ) {
		return $tag;
	}
	$attributes = ' data-api="' . esc_url( leserpost_setting( 'api_url' ) ) . '"';
	if ( leserpost_setting( 'reads_url' ) ) {
		$attributes .= ' data-reads="' . esc_url( leserpost_setting( 'reads_url' ) ) . '"';
	}
	$privacy    = leserpost_setting( 'privacy_url' ) ? leserpost_setting( 'privacy_url' ) : get_privacy_policy_url();
	if ( $privacy ) {
		$attributes .= ' data-privacy-url="' . esc_url( $privacy ) . '"';
	}
	return preg_replace( '/<script\b/', '<script' . $attributes . ' defer', $tag, 1 );
}

/** WordPress's reply script has nothing to do where Leserpost replaced the comments. */
function leserpost_dequeue_comment_reply() {
	if ( is_singular() && leserpost_applies() ) {
		wp_dequeue_script( 'comment-reply' );
	}
}

/** With "close WordPress comments" on, new posts start with comments and pings closed. */
function leserpost_new_posts_closed( $value ) {
	return leserpost_setting( 'close_comments' ) ? 'closed' : $value;
}

function leserpost_register_shortcodes() {
	add_shortcode( 'leserpost_wishes', 'leserpost_wishes_shortcode' );
	add_shortcode( 'leserpost_credit', 'leserpost_credit_shortcode' );
}

/** `[leserpost_wishes]`: the wish board. */
function leserpost_wishes_shortcode() {
	if ( ! leserpost_is_configured() ) {
		return '';
	}
	leserpost_enqueue_widget();
	return '<leserpost-wishes lang="' . esc_attr( leserpost_lang() ) . '"' . leserpost_privacy_attribute() . '><p><em>'
		. esc_html__( 'The wish board needs JavaScript.', 'leserpost' ) . '</em></p></leserpost-wishes>';
}

/** `[leserpost_credit]`: "This topic was wished for by …" on an article that fulfilled a wish. */
function leserpost_credit_shortcode() {
	$post = get_post();
	return ( leserpost_is_configured() && $post ) ? leserpost_credit_element( leserpost_page_key( $post ) ) : '';
}

function leserpost_credit_element( $page ) {
	leserpost_enqueue_widget();
	return '<leserpost-wish-credit page="' . esc_attr( $page ) . '" lang="' . esc_attr( leserpost_lang() ) . '"></leserpost-wish-credit>';
}
