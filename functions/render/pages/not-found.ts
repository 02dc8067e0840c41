/** The page a person sees for a URL that names nothing. */
import { pagePath } from '../../links';
import { link } from './html';
import { renderDocument } from './layout';

export const renderNotFoundPage = (): string =>
  renderDocument({
    title: 'Page not found',
    main: `<h1>Page not found</h1><p>There is no page at this address. It may have been mistyped, or the story it names has not been opened yet.</p><p>${link(pagePath('home'), 'See all stories')}</p>`,
  });
