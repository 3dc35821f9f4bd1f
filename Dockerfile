FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
ENV NODE_ENV=production PORT=3000 CHIMERA_DATA_DIR=/data
EXPOSE 3000
CMD ["node", "bin/chimera.mjs", "start"]
