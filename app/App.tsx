// The lab's shell. The terminal, panels, lessons and quiz mount here as their issues land.
export function App() {
  return (
    <main className="app">
      <header className="app-header">
        <h1>Redis Lab</h1>
        <p>Learn Redis by running it: a Redis 7.0 compatible engine, right in your browser.</p>
      </header>
    </main>
  );
}
