import type { CommentStatus } from '../core/schemas';

/** One comment read from another system's export, before it becomes a Leserpost comment. */
export interface ImportedComment {
  /** Unique within the export (WordPress ids repeat across posts, so they are qualified). */
  sourceId: string;
  pageUrl: string;
  pageTitle?: string;
  parentSourceId?: string;
  name: string;
  email?: string;
  website?: string;
  /** Plain text. */
  text: string;
  createdAt: string;
  status: CommentStatus;
}

export interface SkippedEntry {
  sourceId?: string;
  reason: 'pingback' | 'trackback' | 'orphan_thread' | 'deleted_thread' | 'no_id' | 'empty' | 'too_large';
}

export interface ParsedExport {
  source: 'wordpress' | 'disqus';
  comments: ImportedComment[];
  skipped: SkippedEntry[];
}
