import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider as UrqlProvider } from 'urql';
import { App } from './App';
import { createClient } from './graphql/client';
import { setupI18n } from './i18n';
import { LocaleProvider } from './i18n/LocaleProvider';
import './styles.css';

setupI18n();
const client = createClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <UrqlProvider value={client}>
      <LocaleProvider>
        <App />
      </LocaleProvider>
    </UrqlProvider>
  </StrictMode>,
);
