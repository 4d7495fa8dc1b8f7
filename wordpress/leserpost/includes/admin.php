<?php
/**
 * Einstellungen → Leserpost: paste the snippet from `cdk deploy`, see whether the API answers to
 * this blog, and find the way to bring the old comments over. The Settings API adds the nonce;
 * only administrators (manage_options) reach the page or save it.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

add_action( 'admin_menu', 'leserpost_admin_menu' );
add_action( 'admin_init', 'leserpost_register_setting' );
add_filter( 'plugin_action_links_' . plugin_basename( LESERPOST_FILE ), 'leserpost_action_links' );

function leserpost_admin_menu() {
	add_options_page( __( 'Leserpost', 'leserpost' ), __( 'Leserpost', 'leserpost' ), 'manage_options', 'leserpost', 'leserpost_settings_page' );
}

function leserpost_register_setting() {
	register_setting(
		'leserpost',
		LESERPOST_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'leserpost_sanitize_settings',
			'default'           => leserpost_defaults(),
		)
	);
}

function leserpost_action_links( $links ) {
	array_unshift( $links, '<a href="' . esc_url( admin_url( 'options-general.php?page=leserpost' ) ) . '">' . esc_html__( 'Settings', 'leserpost' ) . '</a>' );
	return $links;
}

/**
 * Asks the API for a count, as this blog's pages will, with the blog's origin: it must answer
 * and must allow this origin (the deploy's allowedOrigins), or the widget will stay empty.
 *
 * @return array{ok: bool, message: string}
 */
function leserpost_check_api() {
	$home   = wp_parse_url( home_url() );
	$origin = $home['scheme'] . '://' . $home['host'] . ( isset( $home['port'] ) ? ':' . $home['port'] : '' );
	$response = wp_remote_get(
		leserpost_setting( 'api_url' ) . '/comments/counts?pages=%2F',
		array(
			'timeout' => 5,
			'headers' => array( 'Origin' => $origin ),
		)
	);
	if ( is_wp_error( $response ) ) {
		/* translators: %s: the error message */
		return array( 'ok' => false, 'message' => sprintf( __( 'The API does not answer: %s', 'leserpost' ), $response->get_error_message() ) );
	}
	$json = json_decode( wp_remote_retrieve_body( $response ), true );
	if ( 200 !== (int) wp_remote_retrieve_response_code( $response ) || ! is_array( $json ) || ! isset( $json['counts'] ) ) {
		/* translators: %d: HTTP status code */
		return array( 'ok' => false, 'message' => sprintf( __( 'The address answers, but not as the Leserpost API does (status %d). Please check the API address.', 'leserpost' ), (int) wp_remote_retrieve_response_code( $response ) ) );
	}
	if ( strtolower( (string) wp_remote_retrieve_header( $response, 'access-control-allow-origin' ) ) !== strtolower( $origin ) ) {
		/* translators: %s: the blog's origin, e.g. https://example.org */
		return array( 'ok' => false, 'message' => sprintf( __( 'The API answers, but does not allow this blog (%s). Add it to allowedOrigins and deploy again.', 'leserpost' ), $origin ) );
	}
	return array( 'ok' => true, 'message' => __( 'The API answers and allows this blog.', 'leserpost' ) );
}

function leserpost_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You are not allowed to change these settings.', 'leserpost' ), 403 );
	}
	$settings = leserpost_setting();
	$name     = LESERPOST_OPTION;
	?>
	<div class="wrap">
		<h1><?php esc_html_e( 'Leserpost', 'leserpost' ); ?></h1>
		<?php if ( leserpost_is_configured() ) : ?>
			<?php $leserpost_check = leserpost_check_api(); ?>
			<div class="notice <?php echo $leserpost_check['ok'] ? 'notice-success' : 'notice-error'; ?> inline" id="leserpost-check"><p><?php echo esc_html( $leserpost_check['message'] ); ?></p></div>
		<?php else : ?>
			<div class="notice notice-info inline"><p><?php esc_html_e( 'Paste the EmbedSnippet that cdk deploy printed, then save. Until then your theme shows WordPress comments as before.', 'leserpost' ); ?></p></div>
		<?php endif; ?>
		<form method="post" action="options.php">
			<?php settings_fields( 'leserpost' ); ?>
			<table class="form-table" role="presentation">
				<tr>
					<th scope="row"><label for="leserpost-snippet"><?php esc_html_e( 'Snippet from cdk deploy', 'leserpost' ); ?></label></th>
					<td>
						<textarea id="leserpost-snippet" name="<?php echo esc_attr( $name ); ?>[snippet]" rows="3" class="large-text code" placeholder="&lt;script src=&quot;https://…/leserpost.js&quot; data-api=&quot;https://…/&quot; defer&gt;&lt;/script&gt;"></textarea>
						<p class="description"><?php esc_html_e( 'Pasting the EmbedSnippet fills the addresses below.', 'leserpost' ); ?></p>
					</td>
				</tr>
				<?php foreach ( array( 'api_url', 'reads_url', 'widget_url', 'privacy_url' ) as $leserpost_key ) : ?>
				<tr>
					<th scope="row"><label for="leserpost-<?php echo esc_attr( $leserpost_key ); ?>"><?php echo esc_html( leserpost_field_label( $leserpost_key ) ); ?></label></th>
					<td><input type="url" class="regular-text code" id="leserpost-<?php echo esc_attr( $leserpost_key ); ?>" name="<?php echo esc_attr( $name . '[' . $leserpost_key . ']' ); ?>" value="<?php echo esc_attr( $settings[ $leserpost_key ] ); ?>"></td>
				</tr>
				<?php endforeach; ?>
				<tr>
					<th scope="row"><label for="leserpost-cache_seconds"><?php esc_html_e( 'Cache for comments in the page (seconds)', 'leserpost' ); ?></label></th>
					<td>
						<input type="number" min="0" max="3600" class="small-text" id="leserpost-cache_seconds" name="<?php echo esc_attr( $name ); ?>[cache_seconds]" value="<?php echo esc_attr( (string) $settings['cache_seconds'] ); ?>">
						<p class="description"><?php esc_html_e( 'Approved comments are also written into the page for search engines and readers without JavaScript. 0 asks the API on every page view.', 'leserpost' ); ?></p>
					</td>
				</tr>
				<tr>
					<th scope="row"><?php esc_html_e( 'Options', 'leserpost' ); ?></th>
					<td><fieldset>
						<?php
						$leserpost_switches = array(
							'close_comments' => __( 'Close WordPress comments and pings for new posts', 'leserpost' ),
							'archive_counts' => __( 'Show comment counts on index and archive pages', 'leserpost' ),
							'auto_credit'    => __( 'Show the wish credit on articles that fulfilled a wish (otherwise place [leserpost_credit] yourself)', 'leserpost' ),
						);
						foreach ( $leserpost_switches as $leserpost_key => $leserpost_label ) :
							?>
							<label><input type="checkbox" name="<?php echo esc_attr( $name . '[' . $leserpost_key . ']' ); ?>" value="1" <?php checked( $settings[ $leserpost_key ] ); ?>> <?php echo esc_html( $leserpost_label ); ?></label><br>
						<?php endforeach; ?>
					</fieldset></td>
				</tr>
			</table>
			<?php submit_button(); ?>
		</form>
		<h2><?php esc_html_e( 'Wish board', 'leserpost' ); ?></h2>
		<p><?php esc_html_e( 'Put [leserpost_wishes] on a page, and [leserpost_credit] into an article that fulfilled a wish.', 'leserpost' ); ?></p>
		<div id="leserpost-import">
			<h2><?php esc_html_e( 'Bring the old comments over', 'leserpost' ); ?></h2>
			<p><?php esc_html_e( 'Your WordPress comments move to Leserpost in two steps, both in the browser:', 'leserpost' ); ?></p>
			<ol id="leserpost-import-steps">
				<li>
					<strong><?php esc_html_e( 'Export from WordPress.', 'leserpost' ); ?></strong>
					<?php
					/* translators: %s: a link to WordPress's export page, named as in the menu (Tools → Export) */
					$leserpost_step = esc_html__( '%s: choose “All content” and click “Download Export File”. WordPress saves an export file (.xml, in the WXR format) with your posts and their comments on your computer.', 'leserpost' );
					$leserpost_link = '<a id="leserpost-wordpress-export" href="' . esc_url( admin_url( 'export.php' ) ) . '">' . esc_html__( 'Tools → Export', 'leserpost' ) . '</a>';
					echo sprintf( $leserpost_step, $leserpost_link ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the text is esc_html__'s, the link built of esc_url and esc_html.
					?>
				</li>
				<li>
					<strong><?php esc_html_e( 'Import at your Leserpost desk.', 'leserpost' ); ?></strong>
					<?php
					/* translators: %s: a link to the import page of the Leserpost desk ("Open the import page of your Leserpost desk") */
					$leserpost_step = esc_html__( '%s, choose the file under “Export file” and click “Import”. If the desk asks you to sign in first, it opens its import page again afterwards.', 'leserpost' );
					$leserpost_link = esc_html__( 'Open the import page of your Leserpost desk', 'leserpost' );
					if ( leserpost_is_configured() ) {
						$leserpost_link = '<a id="leserpost-desk-import" href="' . esc_url( leserpost_setting( 'api_url' ) . '/desk/import' ) . '">' . $leserpost_link . '</a>';
					}
					echo sprintf( $leserpost_step, $leserpost_link ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the text is esc_html__'s, the link built of esc_url and esc_html__.
					if ( ! leserpost_is_configured() ) {
						echo esc_html( ' ' . __( 'The link to the import page appears here once the snippet is saved.', 'leserpost' ) );
					}
					?>
				</li>
			</ol>
			<p><?php esc_html_e( 'Comments keep their dates, replies and statuses and appear under their posts. Importing twice does no harm: nothing is taken over twice.', 'leserpost' ); ?></p>
		</div>
		<?php if ( leserpost_is_configured() ) : ?>
			<p><a class="button" href="<?php echo esc_url( leserpost_setting( 'api_url' ) . '/desk' ); ?>"><?php esc_html_e( 'Open the Leserpost desk', 'leserpost' ); ?></a></p>
		<?php endif; ?>
	</div>
	<?php
}
